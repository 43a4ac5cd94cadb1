package dev.flywheel.client;

import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.InternalServerError;
import dev.flywheel.model.DynamoDbException.RequestEntityTooLargeException;
import dev.flywheel.protocol.auth.RequestSigner;
import dev.flywheel.protocol.json.ErrorJsonReader;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AWS JSON 1.0 endpoint reached over HTTP ({@link KeepAliveHttpClient}): posts a body for an operation,
 * signed with SigV4, and returns the response body, or throws the error the endpoint answered as the
 * same {@link DynamoDbException} (type and message), so the accelerator's callers see it unchanged.
 *
 * <p>Never hangs: connecting and answering are bounded by the {@link Target}'s timeouts; a target that
 * cannot be reached or does not answer in time is answered with DynamoDB's InternalServerError (500),
 * which SDKs retry, and logged with the cause.
 *
 * <p>Thread-safe; the HTTP client keeps a pool of keep-alive connections.
 */
final class RemoteEndpoint {
    private static final Logger log = LoggerFactory.getLogger(RemoteEndpoint.class);

    private final URI uri;
    private final String host;
    private final String targetPrefix;
    private final RequestSigner signer;
    private final Duration requestTimeout;
    private final KeepAliveHttpClient client;
    private final Clock clock;

    /**
     * @param targetPrefix what precedes the operation in {@code X-Amz-Target}, e.g. {@code DynamoDB_20120810}
     */
    RemoteEndpoint(URI uri, String targetPrefix, RequestSigner signer, Duration connectTimeout,
            Duration requestTimeout, Clock clock) {
        this.uri = uri.getPath().isEmpty() ? uri.resolve("/") : uri;
        this.host = KeepAliveHttpClient.hostHeader(uri);
        this.targetPrefix = targetPrefix;
        this.signer = signer;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.client = new KeepAliveHttpClient(this.uri, connectTimeout);
    }

    /**
     * Posts {@code body} for {@code operation} and returns the response body.
     *
     * @throws DynamoDbException the target's error, or InternalServerError when it cannot be reached
     */
    byte[] post(String operation, byte[] body) {
        // A round trip waits: not on a thread that must not block (the accelerator's cache hits may).
        if (NonBlocking.attempting()) throw NonBlocking.WouldBlock.INSTANCE;
        String target = targetPrefix + "." + operation;
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", host);
        signed.put("x-amz-date", RequestSigner.amzDate(now));
        signed.put("x-amz-target", target);
        signed.put("content-type", "application/x-amz-json-1.0");
        Map<String, String> headers = Map.of(
                "X-Amz-Date", signed.get("x-amz-date"),
                "X-Amz-Target", target,
                "Content-Type", "application/x-amz-json-1.0",
                "Authorization", signer.authorization(signed, body, now));
        KeepAliveHttpClient.Response response;
        try {
            response = client.post(headers, body, requestTimeout);
        } catch (TimeoutException e) {
            log.warn("{} to {} timed out: {}", operation, uri, e.getMessage());
            throw new InternalServerError("Internal server error (the accelerator's target did not answer in time)");
        } catch (IOException e) {
            log.warn("{} to {} failed: {}", operation, uri, e.toString());
            throw new InternalServerError("Internal server error (the accelerator's target cannot be reached)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalServerError("Internal server error");
        }
        if (response.status() == 200) {
            return response.body();
        }
        throw error(operation, response.status(), response.body());
    }

    /** The target's error as the same exception; what a body that is not one becomes. */
    private DynamoDbException error(String operation, int status, byte[] body) {
        DynamoDbException error = ErrorJsonReader.read(body, 0, body.length);
        if (error != null) {
            return error;
        }
        log.warn("{} to {} answered {} with a body that is not an AWS JSON error", operation, uri, status);
        return status == 413 ? new RequestEntityTooLargeException(null) : new InternalServerError("Internal server error");
    }
}
