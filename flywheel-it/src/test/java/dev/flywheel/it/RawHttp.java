package dev.flywheel.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Hand-made HTTP requests, for what an SDK never sends: malformed bodies, missing headers. The
 * Authorization header is well-formed but not a real signature (accepted by a server without
 * credentials, as DynamoDB Local does).
 */
final class RawHttp {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;

    RawHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    static String authorization(String date) {
        return "AWS4-HMAC-SHA256 Credential=AKIDRAW/" + date.substring(0, 8) + "/us-east-1/dynamodb/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64);
    }

    HttpResponse<String> post(String target, byte[] body, boolean signed) throws Exception {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Date", date)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target != null) b.header("X-Amz-Target", target);
        if (signed) b.header("Authorization", authorization(date));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String target, String body) throws Exception {
        return post(target, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }
}
