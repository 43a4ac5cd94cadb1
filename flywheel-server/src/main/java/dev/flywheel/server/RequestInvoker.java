package dev.flywheel.server;

import dev.flywheel.model.DynamoDbException;

/**
 * Turns one request body into one response body: the seam between HTTP and the AWS JSON protocol.
 * Production uses {@link JsonProtocolInvoker}; tests script answers without a codec or an engine.
 *
 * <p>Implementations are thread-safe: they are called from many threads at once.
 */
interface RequestInvoker {

    /**
     * Runs {@code target} with the JSON request in {@code body[offset, offset+length)}, on behalf of
     * {@code caller} (the access key id that signed the request).
     *
     * @return the JSON response body of a successful call
     * @throws DynamoDbException the error to answer; any other exception is answered 500
     */
    byte[] invoke(Target target, String caller, byte[] body, int offset, int length);

    /** The JSON body answering {@code error}. */
    byte[] renderError(DynamoDbException error);
}
