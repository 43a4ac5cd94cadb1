package dev.flywheel.protocol;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;

/**
 * DynamoDB's AWS JSON 1.0 protocol: decodes a request body for an operation, validates it against the
 * service model's constraints, calls the {@link DynamoDbApi}, and encodes the result; renders errors.
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
        throw new DynamoDbException.UnknownOperationException("not implemented yet: " + operation);
    }

    /** The JSON body of an error response: {@code {"__type":"...","message":"..."}} plus its extras. */
    public byte[] renderError(DynamoDbException error) {
        String json = "{\"__type\":\"" + error.type() + "\",\"message\":\"" + error.getMessage() + "\"}";
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
