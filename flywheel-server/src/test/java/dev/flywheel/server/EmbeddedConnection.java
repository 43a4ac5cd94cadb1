package dev.flywheel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One server connection in memory: the production pipeline on an {@link EmbeddedChannel}, fed bytes
 * that a real HTTP encoder produced, its output parsed by a real HTTP decoder. Every buffer on both
 * sides comes from one {@link TrackingAllocator}.
 */
final class EmbeddedConnection implements AutoCloseable {
    final TrackingAllocator allocator = new TrackingAllocator();
    final EmbeddedChannel server = new EmbeddedChannel();
    private final EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

    EmbeddedConnection(DynamoDbEndpoint endpoint, Executor executor, int maxRequestBytes) {
        server.config().setAllocator(allocator);
        encoder.config().setAllocator(allocator);
        decoder.config().setAllocator(allocator);
        server.pipeline().addLast(new ServerPipeline(
                endpoint, executor, maxRequestBytes, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), null));
    }

    /** Sends the requests back to back in one read, as a pipelining client does. */
    void send(FullHttpRequest... requests) {
        List<Object> bytes = new ArrayList<>();
        for (FullHttpRequest request : requests) {
            encoder.writeOutbound(request);
            for (Object encoded; (encoded = encoder.readOutbound()) != null; ) {
                bytes.add(encoded);
            }
        }
        server.writeInbound(bytes.toArray());
    }

    /** Sends raw bytes, for what an encoder would not produce. */
    void sendRaw(String text) {
        ByteBuf bytes = allocator.heapBuffer().writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        server.writeInbound(bytes);
    }

    /**
     * Runs the next API call and then the event-loop task that writes its response, one at a time as a
     * real event loop does. (EmbeddedChannel also runs queued tasks inside a write; with several
     * responses queued that re-enters Netty's HTTP encoder, which a real event loop never does.)
     */
    void answerNext(QueueingExecutor executor) {
        executor.runNext();
        server.runPendingTasks();
    }

    /** The responses written so far, decoded; the caller releases them. */
    List<FullHttpResponse> responses() {
        server.runPendingTasks();
        for (Object written; (written = server.readOutbound()) != null; ) {
            decoder.writeInbound(written);
        }
        List<FullHttpResponse> responses = new ArrayList<>();
        for (Object decoded; (decoded = decoder.readInbound()) != null; ) {
            responses.add((FullHttpResponse) decoded);
        }
        return responses;
    }

    /** The one response written so far. */
    FullHttpResponse response() {
        List<FullHttpResponse> responses = responses();
        if (responses.size() != 1) {
            responses.forEach(FullHttpResponse::release);
            throw new AssertionError("expected one response, got " + responses.size());
        }
        return responses.get(0);
    }

    boolean isOpen() {
        return server.isOpen();
    }

    @Override
    public void close() {
        server.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    static String text(FullHttpResponse response) {
        return response.content().toString(StandardCharsets.UTF_8);
    }

    static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
