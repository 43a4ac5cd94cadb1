package dev.flywheel.client;

import dev.flywheel.protocol.auth.RequestSigner;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A remote endpoint and how to reach it: the DynamoDB-API target the accelerator stands in front of, or a
 * peer region global tables replicate to.
 *
 * @param endpoint the target's URL, e.g. {@code http://127.0.0.1:8000} or
 *     {@code https://dynamodb.us-east-1.amazonaws.com}
 * @param streamsEndpoint where its DynamoDB Streams API answers: the same endpoint for Flywheel and
 *     DynamoDB Local, {@code https://streams.dynamodb.<region>.amazonaws.com} for DynamoDB
 * @param signer the caller's own credentials: every request sent is signed with them (the accelerator
 *     signs what it forwards again)
 * @param connectTimeout how long to wait for a connection before answering InternalServerError
 * @param requestTimeout how long to wait for an answer before answering InternalServerError
 */
public record Target(URI endpoint, URI streamsEndpoint, RequestSigner signer, Duration connectTimeout,
        Duration requestTimeout) {

    public Target {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(streamsEndpoint, "streamsEndpoint");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** {@code endpoint} with streams on the same endpoint, 2 s to connect and 10 s to answer. */
    public static Target of(URI endpoint, RequestSigner signer) {
        return new Target(endpoint, endpoint, signer, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public Target withStreamsEndpoint(URI newStreamsEndpoint) {
        return new Target(endpoint, newStreamsEndpoint, signer, connectTimeout, requestTimeout);
    }

    public Target withTimeouts(Duration newConnectTimeout, Duration newRequestTimeout) {
        return new Target(endpoint, streamsEndpoint, signer, newConnectTimeout, newRequestTimeout);
    }
}
