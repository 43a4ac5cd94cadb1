package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input over raw HTTP: each gets DynamoDB's error type, a 4xx status, and never a hang or a 500. */
class ProtocolErrorsIT {
    private static InProcessServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        http = new RawHttp(server.endpoint());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).contains("\"__type\":\"" + type + "\"");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).hasValueSatisfying(id -> assertThat(id).isNotBlank());
        CRC32 crc = new CRC32();
        crc.update(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(response.headers().firstValue("x-amz-crc32")).hasValue(Long.toString(crc.getValue()));
    }

    @Test
    void malformedJsonIsASerializationException() throws Exception {
        assertError(http.post("DynamoDB_20120810.ListTables", "{not json"), 400,
                "com.amazon.coral.service#SerializationException");
    }

    @Test
    void invalidUtf8IsASerializationException() throws Exception {
        byte[] body = "{\"TableName\":\"ab\u0000c\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 4] = (byte) 0xC3;  // a lone lead byte
        body[body.length - 3] = (byte) 0x28;
        assertError(http.post("DynamoDB_20120810.DescribeTable", body, true), 400,
                "com.amazon.coral.service#SerializationException");
    }

    @Test
    void wrongJsonTypeIsASerializationException() throws Exception {
        assertError(http.post("DynamoDB_20120810.DescribeTable", "{\"TableName\": 5}"), 400,
                "com.amazon.coral.service#SerializationException");
        assertError(http.post("DynamoDB_20120810.ListTables", "{\"Limit\": \"ten\"}"), 400,
                "com.amazon.coral.service#SerializationException");
    }

    @Test
    void missingMembersAreValidationExceptions() throws Exception {
        HttpResponse<String> r = http.post("DynamoDB_20120810.DescribeTable", "{}");
        assertError(r, 400, "com.amazon.coral.validate#ValidationException");
        assertThat(r.body()).contains("Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void emptyAttributeValueIsAValidationException() throws Exception {
        HttpResponse<String> r = http.post("DynamoDB_20120810.GetItem", "{\"TableName\":\"abc\",\"Key\":{\"pk\":{}}}");
        assertError(r, 400, "com.amazon.coral.validate#ValidationException");
        assertThat(r.body()).contains("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }

    @Test
    void unknownOperation() throws Exception {
        assertError(http.post("DynamoDB_20120810.NoSuchThing", "{}"), 400, "com.amazon.coral.service#UnknownOperationException");
        assertError(http.post(null, "{}".getBytes(StandardCharsets.UTF_8), true), 400,
                "com.amazon.coral.service#UnknownOperationException");
    }

    @Test
    void missingSignature() throws Exception {
        assertError(http.post("DynamoDB_20120810.ListTables", "{}".getBytes(StandardCharsets.UTF_8), false), 400,
                "com.amazon.coral.service#MissingAuthenticationTokenException");
    }

    @Test
    void oversizeBodyIsRefusedWithoutBufferingIt() throws Exception {
        byte[] body = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> r = http.post("DynamoDB_20120810.ListTables", body, true);
        assertThat(r.statusCode()).isEqualTo(413);
        // The server still answers afterwards.
        assertThat(http.post("DynamoDB_20120810.ListTables", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void aGoodRequestGetsJsonBack() throws Exception {
        HttpResponse<String> r = http.post("DynamoDB_20120810.ListTables", "{}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
        assertThat(r.body()).startsWith("{\"TableNames\":[");
    }
}
