package dev.flywheel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * What to answer one request: a status, a content type and a body. Turned into an HTTP response with
 * the headers DynamoDB sends on every response.
 *
 * @param contentType null to send no Content-Type
 */
record Answer(int status, String contentType, byte[] body) {
    static final String AMZ_JSON_1_0 = "application/x-amz-json-1.0";

    /** What DynamoDB answers a method other than GET or POST, or a body that is not JSON. */
    static final Answer NOT_FOUND = new Answer(404, null, bytes("<UnknownOperationException/>\n"));

    /** A request the HTTP decoder could not make sense of. */
    static final Answer BAD_REQUEST = new Answer(400, null, new byte[0]);

    /** The answer when even rendering an error failed; written by hand so that it cannot fail. */
    static final Answer LAST_RESORT_ERROR = new Answer(500, AMZ_JSON_1_0, bytes(
            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"Internal server error\"}"));

    private static final AsciiString REQUEST_ID = AsciiString.cached("x-amzn-RequestId");
    private static final AsciiString CRC32_HEADER = AsciiString.cached("x-amz-crc32");

    /**
     * Headers without Netty's per-character validation: every name and value here is the server's own
     * (constants, digits, [A-Z0-9] ids), and validating them was a few percent of a GetItem's CPU.
     */
    private static final HttpHeadersFactory OWN_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory NO_TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private static final char[] REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    /**
     * The HTTP response, its body in a buffer from {@code allocator} (pooled in production). Every
     * response carries {@code x-amzn-RequestId}, {@code x-amz-crc32} (the SDKs check the CRC32 of the
     * body and fail the call when it does not match) and {@code Date}.
     */
    FullHttpResponse toHttpResponse(ByteBufAllocator allocator, HttpVersion version, boolean keepAlive) {
        ByteBuf content = allocator.ioBuffer(body.length).writeBytes(body);
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status), content,
                OWN_HEADERS, NO_TRAILERS);
        HttpHeaders headers = response.headers();
        if (contentType != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.set(REQUEST_ID, newRequestId());
        headers.set(CRC32_HEADER, Long.toString(crc32(body)));
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    /** DynamoDB's request ids are 52 characters of [A-Z0-9]. They need to be unique, not unguessable. */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) {
            id[i] = REQUEST_ID_ALPHABET[random.nextInt(REQUEST_ID_ALPHABET.length)];
        }
        return new String(id);
    }

    private static long crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return crc.getValue();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
