package dev.flywheel.server;

import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.InternalServerError;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.protocol.auth.RequestAuthenticator;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request the way DynamoDB's endpoint does, independent of connections and threads:
 *
 * <ol>
 *   <li>{@code GET} is the health check; any method but {@code POST}, or a body that is not JSON,
 *       is answered 404 {@code <UnknownOperationException/>};
 *   <li>{@code X-Amz-Target} names the operation (UnknownOperationException when it does not);
 *   <li>the SigV4 signature is checked;
 *   <li>the {@link RequestInvoker} runs the operation.
 * </ol>
 *
 * <p>That order is DynamoDB's: an unknown target is reported before a missing signature. Errors are
 * answered with their status and rendered body; anything else thrown is logged and answered 500.
 * Thread-safe.
 */
final class DynamoDbEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbEndpoint.class);

    private final RequestInvoker invoker;
    private final RequestAuthenticator authenticator;
    private final RequestMetrics metrics;
    private final Answer healthy;

    DynamoDbEndpoint(RequestInvoker invoker, RequestAuthenticator authenticator, String region, RequestMetrics metrics) {
        this.invoker = invoker;
        this.authenticator = authenticator;
        this.metrics = metrics;
        // What DynamoDB answers GET /: its host name, and a trailing space.
        this.healthy = new Answer(200, "text/plain", Answer.bytes("healthy: dynamodb." + region + ".amazonaws.com "));
    }

    /** The one operation tried on the event loop: the commonest read, whose item is often in memory. */
    private static final String GET_ITEM_TARGET = "DynamoDB_20120810.GetItem";

    /**
     * The answer to {@code request} if it is a GetItem that can be answered without waiting (its item
     * in memory, see {@link NonBlocking}); null when it must run where blocking is fine.
     */
    Answer answerWithoutBlocking(ReceivedRequest request) {
        if (!GET_ITEM_TARGET.equals(request.header("X-Amz-Target"))) return null;
        try {
            return NonBlocking.attempt(() -> answer(request));
        } catch (NonBlocking.WouldBlock wouldBlock) {
            return null;
        }
    }

    /** The answer to {@code request}; throws only if rendering an error fails. */
    Answer answer(ReceivedRequest request) {
        if (request.method().equals("GET")) {
            return healthy;
        }
        String responseType = responseContentType(request.header(HttpHeaderNames.CONTENT_TYPE.toString()));
        if (!request.method().equals("POST") || (request.body().length > 0 && responseType == null)) {
            return Answer.NOT_FOUND;
        }
        responseType = responseType == null ? Answer.AMZ_JSON_1_0 : responseType;
        long start = System.nanoTime();
        Target target = null;
        try {
            target = Target.parse(request.header("X-Amz-Target"));
            String caller = authenticator.authenticate(request);
            Answer answer = new Answer(200, responseType, invoker.invoke(target, caller, request.body(), 0, request.body().length));
            metrics.record(target.operation(), RequestMetrics.OK, System.nanoTime() - start);
            return answer;
        } catch (DynamoDbException e) {
            record(target, e, start);
            return error(e, responseType);
        } catch (NonBlocking.WouldBlock wouldBlock) {
            throw wouldBlock; // not an answer: the request runs again where it may wait
        } catch (RuntimeException e) {
            log.error("Unexpected failure answering {}", request.header("X-Amz-Target"), e);
            InternalServerError error = new InternalServerError("Internal server error");
            record(target, error, start);
            return error(error, responseType);
        }
    }

    /** An unknown operation is counted under "unknown": clients choose those names, and tags must stay few. */
    private void record(Target target, DynamoDbException error, long start) {
        boolean known = target != null && !(error instanceof UnknownOperationException);
        metrics.record(known ? target.operation() : "unknown", error.code(), System.nanoTime() - start);
    }

    /** The answer to {@code error}, with the error's status. */
    Answer error(DynamoDbException error, String contentType) {
        return new Answer(error.status(), contentType, invoker.renderError(error));
    }

    /**
     * DynamoDB takes JSON as {@code application/x-amz-json-1.0} (what the SDKs send) or as
     * {@code application/json}, and answers in the type it was sent; null for any other type.
     */
    private static String responseContentType(String requestContentType) {
        if (requestContentType == null) {
            return null;
        }
        int semicolon = requestContentType.indexOf(';');
        String mediaType = (semicolon < 0 ? requestContentType : requestContentType.substring(0, semicolon)).trim();
        if (mediaType.equalsIgnoreCase(Answer.AMZ_JSON_1_0)) {
            return Answer.AMZ_JSON_1_0;
        }
        return mediaType.equalsIgnoreCase("application/json") ? "application/json" : null;
    }
}
