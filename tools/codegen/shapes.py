"""Shared reading of DynamoDB's service model (botocore's service-2.json) for Flywheel's generators.

Java names: a structure member `SSESpecification` becomes the record component `sseSpecification`;
shape types map to Java types as in `java_type`. Enums stay `String` so that an unknown value reaches
validation (which answers DynamoDB's "Member must satisfy enum value set" message) instead of failing
in the decoder."""
import gzip, json, os, re
import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOTO_DATA = os.path.join(os.path.dirname(botocore.__file__), 'data')

JAVA_KEYWORDS = {'abstract', 'assert', 'boolean', 'break', 'byte', 'case', 'catch', 'char', 'class',
                 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extends', 'final',
                 'finally', 'float', 'for', 'goto', 'if', 'implements', 'import', 'instanceof', 'int',
                 'interface', 'long', 'native', 'new', 'package', 'private', 'protected', 'public',
                 'return', 'short', 'static', 'strictfp', 'super', 'switch', 'synchronized', 'this',
                 'throw', 'throws', 'transient', 'try', 'void', 'volatile', 'while', 'null', 'true',
                 'false', 'record', 'yield', 'var'}


def load(service='dynamodb'):
    path = os.path.join(BOTO_DATA, service, '2012-08-10', 'service-2.json.gz')
    return json.load(gzip.open(path))


def java_member(name):
    """`TableName` -> `tableName`, `SSEType` -> `sseType`, `KMSMasterKeyArn` -> `kmsMasterKeyArn`,
    `S3Bucket` -> `s3Bucket`, `message` -> `message`."""
    m = re.match(r'^([A-Z0-9]+)(.*)$', name)
    if not m:
        out = name
    else:
        caps, rest = m.groups()
        if not rest:
            out = caps.lower()
        elif len(caps) == 1:
            out = caps.lower() + rest
        else:  # `SSEType`: the last capital starts the next word
            out = caps[:-1].lower() + caps[-1] + rest
    return out + '_' if out in JAVA_KEYWORDS else out


def is_attribute_value(shape_name):
    return shape_name == 'AttributeValue'


def java_type(model, shape_name):
    if is_attribute_value(shape_name):
        return 'AttributeValue'
    s = model['shapes'][shape_name]
    t = s['type']
    if t == 'structure':
        return shape_name
    if t == 'string':
        return 'String'
    if t == 'integer':
        return 'Integer'
    if t == 'long':
        return 'Long'
    if t == 'double':
        return 'Double'
    if t == 'boolean':
        return 'Boolean'
    if t == 'timestamp':
        return 'Instant'
    if t == 'blob':
        return 'byte[]'
    if t == 'list':
        return 'List<%s>' % java_type(model, s['member']['shape'])
    if t == 'map':
        return 'Map<String, %s>' % java_type(model, s['value']['shape'])
    raise ValueError('unknown shape type %s of %s' % (t, shape_name))


def structures(model):
    """Every structure Flywheel models as a record: all but AttributeValue (hand-written) and the
    exceptions (DynamoDbException)."""
    for name, s in sorted(model['shapes'].items()):
        if s['type'] == 'structure' and not s.get('exception') and not is_attribute_value(name):
            yield name, s


def lower_first(name):
    return name[0].lower() + name[1:]
