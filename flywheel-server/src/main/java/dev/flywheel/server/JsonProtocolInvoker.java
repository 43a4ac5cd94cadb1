package dev.flywheel.server;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.protocol.DynamoDbJsonProtocol;
import dev.flywheel.server.access.AccessControl;

/**
 * Production's {@link RequestInvoker}: DynamoDB's JSON protocol over a {@link DynamoDbApi}, each call
 * checked against the caller's access policies when the server has any. Thread-safe.
 */
final class JsonProtocolInvoker implements RequestInvoker {
    private final DynamoDbJsonProtocol protocol = new DynamoDbJsonProtocol();
    private final DynamoDbApi api;
    private final AccessControl accessControl;

    /** {@code accessControl} null: every caller may do everything. */
    JsonProtocolInvoker(DynamoDbApi api, AccessControl accessControl) {
        this.api = api;
        this.accessControl = accessControl;
    }

    @Override
    public byte[] invoke(Target target, String caller, byte[] body, int offset, int length) {
        return switch (target.service()) {
            case DYNAMODB -> protocol.invoke(dynamoDbFor(caller), target.operation(), body, offset, length);
            // DynamoDB Streams is served here once it has an API and a codec of its own; until then
            // none of its operations exists.
            case DYNAMODB_STREAMS -> throw new UnknownOperationException(null);
        };
    }

    @Override
    public byte[] renderError(DynamoDbException error) {
        return protocol.renderError(error);
    }

    private DynamoDbApi dynamoDbFor(String caller) {
        return accessControl == null ? api : accessControl.guard(DynamoDbApi.class, api, caller);
    }
}
