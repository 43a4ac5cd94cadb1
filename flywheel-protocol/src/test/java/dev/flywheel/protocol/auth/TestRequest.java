package dev.flywheel.protocol.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** A {@link SignedRequest} built in a test, most often by signing it with the AWS SDK's own signer. */
record TestRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headerMap, byte[] body)
        implements SignedRequest {

    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Instant SIGNED_AT = Instant.parse("2024-01-01T12:00:00Z");
    static final String LIST_TABLES = "{\"Limit\":10}";

    @Override
    public List<String> headers(String name) {
        return headerMap.getOrDefault(name, List.of());
    }

    /** A ListTables request as the SDK's DynamoDbClient sends it, signed at {@link #SIGNED_AT}. */
    static TestRequest signedListTables() {
        return signBySdk(ACCESS_KEY, SECRET_KEY, "us-east-1", "/", null, LIST_TABLES);
    }

    static TestRequest signBySdk(
            String accessKey, String secretKey, String region, String encodedPath, String encodedQuery, String body) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol("http")
                .host("localhost")
                .port(8000)
                .encodedPath(encodedPath)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .putHeader("User-Agent", "aws-sdk-java/2   test  runner");
        if (encodedQuery != null) {
            // The SDK keeps query parameters decoded; feed it the decoded form of the wire query.
            for (String parameter : encodedQuery.split("&")) {
                String[] nameValue = parameter.split("=", 2);
                unsigned.appendRawQueryParameter(
                        CanonicalRequest.percentDecode(nameValue[0]), CanonicalRequest.percentDecode(nameValue[1]));
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromInputStreamSupplier(() -> new ByteArrayInputStream(bytes)))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)))
                .request();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        signed.headers().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        return new TestRequest("POST", signed.encodedPath(), signed.encodedQueryParameters().orElse(""), headers, bytes);
    }

    TestRequest withHeader(String name, String value) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(headerMap);
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, List.of(value));
        }
        return new TestRequest(method, rawPath, rawQuery, headers, body);
    }

    TestRequest withAddedHeaderValue(String name, String value) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(headerMap);
        List<String> values = new ArrayList<>(headers.getOrDefault(name, List.of()));
        values.add(value);
        headers.put(name, values);
        return new TestRequest(method, rawPath, rawQuery, headers, body);
    }

    TestRequest withBody(String newBody) {
        return new TestRequest(method, rawPath, rawQuery, headerMap, newBody.getBytes(StandardCharsets.UTF_8));
    }

    String authorization() {
        return header("Authorization");
    }
}
