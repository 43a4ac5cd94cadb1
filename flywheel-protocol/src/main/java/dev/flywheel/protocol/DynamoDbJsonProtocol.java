package dev.flywheel.protocol;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.protocol.json.DynamoDbOperations;
import dev.flywheel.protocol.json.ErrorJson;
import dev.flywheel.protocol.json.Operation;

/**
 * DynamoDB's AWS JSON 1.0 protocol: decodes a request body for an operation, validates it against the
 * service model's constraints, calls the {@link DynamoDbApi}, and encodes the result; renders errors.
 *
 * <p>The codec is generated from the service model into {@code dev.flywheel.protocol.json}; see
 * {@link Operation#invoke} for the order in which DynamoDB reports what is wrong with a request.
 *
 * <p>Thread-safe and stateless.
 */
public final class DynamoDbJsonProtocol {

    /**
     * Runs {@code operation} (the part of {@code X-Amz-Target} after {@code DynamoDB_20120810.}) with
     * the JSON request in {@code body[offset, offset+length)} and returns the JSON response body.
     *
     * @throws DynamoDbException UnknownOperationException for an operation the model lacks,
     *     SerializationException for a body that is not the operation's JSON, ValidationException for
     *     constraint violations, and whatever the API throws
     */
    public byte[] invoke(DynamoDbApi api, String operation, byte[] body, int offset, int length) {
        Operation<DynamoDbApi, ?, ?> op = DynamoDbOperations.named(operation);
        if (op == null) {
            // DynamoDB answers {"__type":"com.amazon.coral.service#UnknownOperationException"}, no message.
            throw new UnknownOperationException(null);
        }
        return op.invoke(api, body, offset, length);
    }

    /**
     * The JSON body of an error response: {@code {"__type":"...","message":"..."}}, with the message
     * under the key DynamoDB uses for that error, plus the error's extras (the {@code Item} of a
     * ConditionalCheckFailedException).
     */
    public byte[] renderError(DynamoDbException error) {
        return ErrorJson.render(error);
    }
}
