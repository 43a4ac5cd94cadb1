package dev.flywheel.protocol.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs an outgoing request with SigV4, for a client of a remote DynamoDB endpoint (the accelerator
 * re-signs what it forwards with its own credentials). It shares the canonical request and the
 * signature chain with {@link SignatureVerifier}, so what one signs the other accepts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param accessKeyId the access key id named in the credential scope
 * @param secretKey its secret
 * @param region the region of the scope, e.g. {@code us-east-1}
 * @param service the service of the scope: {@code dynamodb} for DynamoDB and DynamoDB Streams alike
 */
public record RequestSigner(String accessKeyId, String secretKey, String region, String service) {

    /**
     * The {@code Authorization} header value for a {@code POST /} carrying {@code body}, signed at
     * {@code time}, over every header in {@code headers} (which must include {@code host} and
     * {@code x-amz-date} as {@link #amzDate} gives it).
     */
    public String authorization(Map<String, String> headers, byte[] body, Instant time) {
        Map<String, String> lowerCase = new TreeMap<>();
        headers.forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
        String amzDate = amzDate(time);
        CredentialScope scope = new CredentialScope(accessKeyId, amzDate.substring(0, 8), region, service, "aws4_request");
        List<String> signedHeaders = new ArrayList<>(lowerCase.keySet());
        AuthorizationHeader unsigned = new AuthorizationHeader(
                AuthorizationHeader.ALGORITHM, scope, signedHeaders, null, amzDate, time);
        String signature = SignatureCalculator.signature(secretKey, unsigned, new Outgoing(lowerCase, body));
        return AuthorizationHeader.ALGORITHM + " Credential=" + accessKeyId + "/" + scope.scope()
                + ", SignedHeaders=" + unsigned.signedHeadersLine() + ", Signature=" + signature;
    }

    /** The {@code X-Amz-Date} value for {@code time}: ISO-8601 basic format, to the second. */
    public static String amzDate(Instant time) {
        return AuthorizationHeader.basicFormat(time);
    }

    /** Never prints the secret: signers end up in configurations, and configurations in logs. */
    @Override
    public String toString() {
        return "RequestSigner[accessKeyId=" + accessKeyId + ", region=" + region + ", service=" + service + "]";
    }

    private record Outgoing(Map<String, String> headers, byte[] body) implements SignedRequest {
        @Override public String method() { return "POST"; }
        @Override public String rawPath() { return "/"; }
        @Override public String rawQuery() { return ""; }
        @Override public List<String> headers(String name) {
            String value = headers.get(name.toLowerCase(Locale.ROOT));
            return value == null ? List.of() : List.of(value);
        }
    }
}
