package dev.flywheel.protocol;

import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.protocol.json.DynamoDbStreamsOperations;
import dev.flywheel.protocol.json.Operation;

/**
 * DynamoDB Streams' AWS JSON 1.0 protocol ({@code X-Amz-Target: DynamoDBStreams_20120810.*}): decodes
 * a request body for an operation, validates it against the Streams service model's constraints,
 * calls the {@link DynamoDbStreamsApi}, and encodes the result. Its errors render as DynamoDB's do,
 * with {@link DynamoDbJsonProtocol#renderError}.
 *
 * <p>Thread-safe and stateless.
 */
public final class DynamoDbStreamsJsonProtocol {

    /**
     * Runs {@code operation} (the part of {@code X-Amz-Target} after {@code DynamoDBStreams_20120810.})
     * with the JSON request in {@code body[offset, offset+length)} and returns the JSON response body.
     *
     * @throws DynamoDbException UnknownOperationException for an operation the model lacks,
     *     SerializationException for a body that is not the operation's JSON, ValidationException for
     *     constraint violations, and whatever the API throws
     */
    public byte[] invoke(DynamoDbStreamsApi api, String operation, byte[] body, int offset, int length) {
        Operation<DynamoDbStreamsApi, ?, ?> op = DynamoDbStreamsOperations.named(operation);
        if (op == null) {
            throw new UnknownOperationException(null);
        }
        return op.invoke(api, body, offset, length);
    }
}
