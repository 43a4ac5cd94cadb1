package dev.flywheel.accelerator;

import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.InternalServerError;
import dev.flywheel.model.DynamoDbException.RequestEntityTooLargeException;
import dev.flywheel.protocol.auth.RequestSigner;
import dev.flywheel.protocol.json.ErrorJsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AWS JSON 1.0 endpoint reached over HTTP with the JDK's client: posts a body for an operation,
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
    private final HttpClient client;
    private final Clock clock;

    /**
     * @param targetPrefix what precedes the operation in {@code X-Amz-Target}, e.g. {@code DynamoDB_20120810}
     */
    RemoteEndpoint(URI uri, String targetPrefix, RequestSigner signer, Duration connectTimeout,
            Duration requestTimeout, Clock clock) {
        this.uri = uri.getPath().isEmpty() ? uri.resolve("/") : uri;
        this.host = hostHeader(uri);
        this.targetPrefix = targetPrefix;
        this.signer = signer;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        // HTTP/1.1: DynamoDB's protocol; the JDK would otherwise try an h2c upgrade on plain HTTP.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /**
     * Posts {@code body} for {@code operation} and returns the response body.
     *
     * @throws DynamoDbException the target's error, or InternalServerError when it cannot be reached
     */
    byte[] post(String operation, byte[] body) {
        String target = targetPrefix + "." + operation;
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", host);
        signed.put("x-amz-date", RequestSigner.amzDate(now));
        signed.put("x-amz-target", target);
        signed.put("content-type", "application/x-amz-json-1.0");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("X-Amz-Date", signed.get("x-amz-date"))
                .header("X-Amz-Target", target)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("Authorization", signer.authorization(signed, body, now))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            log.warn("{} to {} timed out: {}", operation, uri, e.getMessage());
            throw new InternalServerError("Internal server error (the accelerator's target did not answer in time)");
        } catch (IOException e) {
            log.warn("{} to {} failed: {}", operation, uri, e.toString());
            throw new InternalServerError("Internal server error (the accelerator's target cannot be reached)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalServerError("Internal server error");
        }
        if (response.statusCode() == 200) {
            return response.body();
        }
        throw error(operation, response.statusCode(), response.body());
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

    /** The Host header the JDK client sends: the port only when it is not the scheme's default. */
    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()))
                || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()));
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }
}
