package dev.flywheel.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.Executor;

/**
 * The handlers of one connection, nearest the socket first:
 *
 * <ol>
 *   <li>TLS, when the server has a certificate ({@link TlsCertificate});
 *   <li>{@link FlushConsolidationHandler}: responses are written from tasks posted to the event loop,
 *       so several pipelined responses that become ready together go out in one flush (and flushes
 *       during a read wait for channelReadComplete);
 *   <li>{@link HttpServerCodec}: HTTP/1.1 on the event loop;
 *   <li>{@link OversizedRequestAggregator}: whole requests, bodies capped;
 *   <li>{@link RequestHandler}: answers, off the event loop, in order.
 * </ol>
 */
final class ServerPipeline extends ChannelInitializer<Channel> {
    private final DynamoDbEndpoint endpoint;
    private final Executor executor;
    private final int maxRequestBytes;
    private final ChannelGroup connections;
    private final SslContext tls;

    /** {@code tls} null: plain HTTP. */
    ServerPipeline(DynamoDbEndpoint endpoint, Executor executor, int maxRequestBytes, ChannelGroup connections,
            SslContext tls) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.executor = executor;
        this.maxRequestBytes = maxRequestBytes;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        if (tls != null) {
            channel.pipeline().addLast(tls.newHandler(channel.alloc()));
        }
        channel.pipeline().addLast(
                new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                new HttpServerCodec(),
                new OversizedRequestAggregator(maxRequestBytes),
                new RequestHandler(endpoint, executor, maxRequestBytes));
    }
}
