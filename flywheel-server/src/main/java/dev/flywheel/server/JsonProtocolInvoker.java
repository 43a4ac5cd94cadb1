package dev.flywheel.server;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.protocol.DynamoDbJsonProtocol;

/** Production's {@link RequestInvoker}: DynamoDB's JSON protocol over a {@link DynamoDbApi}. Thread-safe. */
final class JsonProtocolInvoker implements RequestInvoker {
    private final DynamoDbJsonProtocol protocol = new DynamoDbJsonProtocol();
    private final DynamoDbApi api;

    JsonProtocolInvoker(DynamoDbApi api) {
        this.api = api;
    }

    @Override
    public byte[] invoke(Target target, byte[] body, int offset, int length) {
        return switch (target.service()) {
            case DYNAMODB -> protocol.invoke(api, target.operation(), body, offset, length);
            // DynamoDB Streams is served here once it has an API and a codec of its own; until then
            // none of its operations exists.
            case DYNAMODB_STREAMS -> throw new UnknownOperationException(null);
        };
    }

    @Override
    public byte[] renderError(DynamoDbException error) {
        return protocol.renderError(error);
    }
}
