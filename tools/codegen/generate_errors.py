#!/usr/bin/env python3
"""Writes flywheel-model's DynamoDbException.java: one final subclass per error in DynamoDB's and
DynamoDB Streams' service models (botocore's service-2.json), plus the errors every AWS JSON service
can answer (COMMON, which generate_codec.py reads too)."""
import gzip, json, os, sys
import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'flywheel-model/src/main/java/dev/flywheel/model/DynamoDbException.java')
# Errors of the service framework, not listed in the model, with the __type prefix DynamoDB uses.
COMMON = {
    'ValidationException': 'com.amazon.coral.validate#',
    'SerializationException': 'com.amazon.coral.service#',
    'UnknownOperationException': 'com.amazon.coral.service#',
    'MissingAuthenticationTokenException': 'com.amazon.coral.service#',
    'IncompleteSignatureException': 'com.amazon.coral.service#',
    'InvalidSignatureException': 'com.amazon.coral.service#',
    'UnrecognizedClientException': 'com.amazon.coral.service#',
    'AccessDeniedException': 'com.amazon.coral.service#',
    'ServiceUnavailableException': 'com.amazon.coral.availability#',
    'RequestEntityTooLargeException': 'com.amazon.coral.service#',
}
STATUS = {'InternalServerError': 500, 'ServiceUnavailableException': 503, 'RequestEntityTooLargeException': 413}

CONDITIONAL_CHECK_FAILED = '''    /** A condition failed; {{@link #item()}} is the item as it was, when the request asked for it. */
    public static final class {n} extends DynamoDbException {{
        private final Map<String, AttributeValue> item;
        public {n}(String message) {{ this(message, null); }}
        public {n}(String message, Map<String, AttributeValue> item) {{
            super({prefix}, "{n}", {status}, message);
            this.item = item;
        }}
        /** The item's attributes, or null when ReturnValuesOnConditionCheckFailure was not ALL_OLD. */
        public Map<String, AttributeValue> item() {{ return item; }}
    }}

'''
TRANSACTION_CANCELED = '''    /**
     * A transaction was cancelled; {{@link #cancellationReasons()}} holds one reason per action, in
     * request order (Code "None" for the actions that did not cause it), as DynamoDB sends them.
     */
    public static final class {n} extends DynamoDbException {{
        private final List<CancellationReason> cancellationReasons;
        public {n}(String message) {{ this(message, null); }}
        public {n}(String message, List<CancellationReason> cancellationReasons) {{
            super({prefix}, "{n}", {status}, message);
            this.cancellationReasons = cancellationReasons == null ? null : List.copyOf(cancellationReasons);
        }}
        /** One reason per action of the request, or null when there are none to report. */
        public List<CancellationReason> cancellationReasons() {{ return cancellationReasons; }}
    }}

'''
ERROR = '''    public static final class {n} extends DynamoDbException {{
        public {n}(String message) {{ super({prefix}, "{n}", {status}, message); }}
    }}

'''


def main():
    names = set()
    for service in ('dynamodb', 'dynamodbstreams'):
        model = json.load(gzip.open(os.path.join(os.path.dirname(botocore.__file__),
                                                 'data/%s/2012-08-10/service-2.json.gz' % service)))
        names |= {n for n, s in model['shapes'].items() if s.get('exception')}
    src = open(OUT).read()
    head = src[:src.index('    public static final class')]
    body = []
    for n in sorted(names | set(COMMON)):
        prefix = '"%s"' % COMMON[n] if n in COMMON else 'DYNAMODB'
        template = {'ConditionalCheckFailedException': CONDITIONAL_CHECK_FAILED,
                    'TransactionCanceledException': TRANSACTION_CANCELED}.get(n, ERROR)
        body.append(template.format(n=n, prefix=prefix, status=STATUS.get(n, 400)))
    open(OUT, 'w').write(head + ''.join(body).rstrip('\n') + '\n}\n')


if __name__ == '__main__':
    main()
