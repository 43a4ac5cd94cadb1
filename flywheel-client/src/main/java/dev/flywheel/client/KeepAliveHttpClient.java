package dev.flywheel.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * HTTP/1.1 POSTs to one origin over Netty, on a pool of keep-alive connections: one request at a time
 * per connection (no pipelining, so a slow answer delays no other), as many connections as callers
 * at once, idle ones reused.
 *
 * <p>Why not the JDK's {@code HttpClient}: it cost the accelerator ~0.3 ms of CPU per forwarded request
 * (its selector thread and per-request futures), several times what serving the request costs; this
 * client is the same Netty the server runs on, and a forwarded request costs about what a served one does.
 *
 * <p>The caller blocks until the answer (callers are virtual threads). One event-loop thread serves every
 * client of the process: the work on it is framing bytes, the rest happens on the callers' threads.
 * Thread-safe.
 */
final class KeepAliveHttpClient implements AutoCloseable {
    /** A response: its status and whole body. */
    record Response(int status, byte[] body) {}

    /** DynamoDB answers at most 16 MB (BatchGetItem); room for that and its framing. */
    private static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
    private static final AttributeKey<CompletableFuture<Response>> PENDING = AttributeKey.valueOf("flywheel.pending");
    private static final EventLoopGroup EVENT_LOOP = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("flywheel-http-client", true), NioIoHandler.newFactory());

    private final URI uri;
    private final String path;
    private final String hostHeader;
    private final Bootstrap bootstrap;
    private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    KeepAliveHttpClient(URI uri, Duration connectTimeout) {
        this.uri = uri;
        this.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.hostHeader = hostHeader(uri);
        SslContext tls = "https".equalsIgnoreCase(uri.getScheme()) ? clientTls() : null;
        String host = uri.getHost();
        int port = port(uri);
        this.bootstrap = new Bootstrap()
                .group(EVENT_LOOP)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .remoteAddress(host, port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls != null) channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
                        channel.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                                .addLast(new ResponseHandler());
                    }
                });
    }

    /** The Host header a client sends: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()))
                || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()));
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /**
     * Posts {@code body} with {@code headers} (Host and Content-Length are added) and waits for the answer.
     *
     * @throws TimeoutException no connection or no answer within {@code timeout}; the connection is closed
     * @throws IOException the connection failed or closed before the answer
     */
    Response post(Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Channel channel = acquire(deadline);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        channel.attr(PENDING).set(answer);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, hostHeader);
        headers.forEach(request.headers()::set);
        HttpUtil.setContentLength(request, body.length);
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) fail(channel, written.cause());
        });
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            channel.close(); // its answer, if it ever comes, must not be taken for the next request's
            throw e;
        } catch (InterruptedException e) {
            channel.close();
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** An idle open connection, or a new one. */
    private Channel acquire(long deadline) throws IOException, TimeoutException, InterruptedException {
        if (closed) throw new ClosedChannelException();
        for (Channel channel; (channel = idle.pollFirst()) != null; ) {
            if (channel.isActive()) return channel;
        }
        ChannelFuture connected = bootstrap.connect();
        if (!connected.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            connected.cancel(false);
            connected.channel().close();
            throw new TimeoutException("no connection to " + uri);
        }
        if (!connected.isSuccess()) {
            Throwable cause = connected.cause();
            throw cause instanceof IOException io ? io : new IOException("cannot connect to " + uri, cause);
        }
        return connected.channel();
    }

    private static void fail(Channel channel, Throwable cause) {
        CompletableFuture<Response> pending = channel.attr(PENDING).getAndSet(null);
        if (pending != null) {
            pending.completeExceptionally(cause instanceof IOException ? cause : new IOException(cause));
        }
        channel.close();
    }

    @Override
    public void close() {
        closed = true;
        for (Channel channel; (channel = idle.pollFirst()) != null; ) {
            channel.close();
        }
    }

    /** Completes the request waiting on its connection, then offers the connection for the next one. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
            CompletableFuture<Response> pending = context.channel().attr(PENDING).getAndSet(null);
            Response answer = new Response(response.status().code(), ByteBufUtil.getBytes(response.content()));
            // Back to the pool before the caller wakes, so that its next request can take it again.
            if (HttpUtil.isKeepAlive(response) && pending != null && !closed) {
                idle.offerFirst(context.channel());
            } else {
                context.close();
            }
            if (pending != null) pending.complete(answer);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            idle.remove(context.channel());
            fail(context.channel(), new IOException("connection to " + uri + " closed before the answer"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            fail(context.channel(), cause);
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }
}
