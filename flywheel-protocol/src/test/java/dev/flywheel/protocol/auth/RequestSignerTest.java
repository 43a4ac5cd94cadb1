package dev.flywheel.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbException.InvalidSignatureException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link RequestSigner} signs, {@link SignatureVerifier} accepts; and nothing it did not sign. */
class RequestSignerTest {
    private final RequestSigner signer =
            new RequestSigner(TestRequest.ACCESS_KEY, TestRequest.SECRET_KEY, "us-east-1", "dynamodb");
    private final RequestAuthenticator verifier = RequestAuthenticator.create(
            Map.of(TestRequest.ACCESS_KEY, TestRequest.SECRET_KEY), "dynamodb",
            Clock.fixed(TestRequest.SIGNED_AT, ZoneOffset.UTC));

    private TestRequest signed(byte[] signedBody, byte[] sentBody) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "localhost:8000");
        headers.put("x-amz-date", RequestSigner.amzDate(TestRequest.SIGNED_AT));
        headers.put("x-amz-target", "DynamoDB_20120810.ListTables");
        headers.put("content-type", "application/x-amz-json-1.0");
        String authorization = signer.authorization(headers, signedBody, TestRequest.SIGNED_AT);
        Map<String, List<String>> sent = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> sent.put(name, List.of(value)));
        sent.put("Authorization", List.of(authorization));
        return new TestRequest("POST", "/", "", sent, sentBody);
    }

    @Test
    void theVerifierAcceptsWhatTheSignerSigned() {
        byte[] body = TestRequest.LIST_TABLES.getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.authenticate(signed(body, body))).isEqualTo(TestRequest.ACCESS_KEY);
    }

    @Test
    void aChangedBodyDoesNotVerify() {
        byte[] body = TestRequest.LIST_TABLES.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.authenticate(signed(body, "{\"Limit\":11}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void theSecretIsNeverPrinted() {
        assertThat(signer.toString()).doesNotContain(TestRequest.SECRET_KEY);
    }
}
