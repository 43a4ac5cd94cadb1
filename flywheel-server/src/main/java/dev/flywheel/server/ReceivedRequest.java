package dev.flywheel.server;

import dev.flywheel.protocol.auth.SignedRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * A request copied off its Netty buffer, so the buffer is released on the event loop and the request
 * can be answered on any thread. Netty's headers are plain objects, not reference-counted, so they
 * are kept as they are.
 */
record ReceivedRequest(
        String method,
        String rawPath,
        String rawQuery,
        HttpHeaders httpHeaders,
        byte[] body,
        HttpVersion version,
        boolean keepAlive) implements SignedRequest {

    /** Copies {@code request}; the caller still owns (and releases) it. */
    static ReceivedRequest copyOf(FullHttpRequest request) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        return new ReceivedRequest(
                request.method().name(),
                question < 0 ? uri : uri.substring(0, question),
                question < 0 ? "" : uri.substring(question + 1),
                request.headers(),
                ByteBufUtil.getBytes(request.content()),
                request.protocolVersion(),
                HttpUtil.isKeepAlive(request));
    }

    @Override
    public List<String> headers(String name) {
        return httpHeaders.getAll(name);
    }

    /** The first value without the list {@link #headers} builds: signature checks ask for a few on every request. */
    @Override
    public String header(String name) {
        return httpHeaders.get(name);
    }
}
