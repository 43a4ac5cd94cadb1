package dev.flywheel.server;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.protocol.auth.RequestAuthenticator;
import dev.flywheel.server.access.AccessControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link DynamoDbApi} over HTTP/1.1 (or HTTPS, given a {@link TlsCertificate}) the way DynamoDB's endpoint does: AWS JSON 1.0 bodies,
 * SigV4 signatures, keep-alive and pipelining.
 *
 * <p><b>Threads.</b> Netty's event loops (epoll on Linux, else NIO) decode and encode HTTP; every API call runs on a virtual
 * thread of its own. Virtual threads because an API call blocks (storage reads, fsync of the write-ahead
 * log, waits inside transactions, a network round trip to a Cassandra cluster), and blocking a virtual
 * thread costs no platform thread, so the server needs no pool to size and no queue to tune: concurrency
 * is bounded by connections and by the {@link RequestHandler#MAX_QUEUED_REQUESTS} per connection. The
 * caveat: a JNI call (RocksDB) pins its carrier thread while it runs; carriers number one per core, so
 * long native calls could starve other requests. To be measured with the RocksDB backend.
 *
 * <p><b>Life cycle.</b> {@link #start()} once, {@link #close()} once (more calls of close do nothing).
 * Closing stops accepting, lets each connection finish the requests it has sent (their responses say
 * {@code Connection: close}), closes idle connections at once, and gives up on stragglers after
 * {@link ServerConfig#shutdownTimeout()}. Both methods are thread-safe.
 */
public final class FlywheelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlywheelServer.class);

    private final ServerConfig config;
    private final DynamoDbEndpoint endpoint;
    private final SslContext tls;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private ExecutorService executor;
    private EventLoopGroup eventLoops;
    private Channel listener;
    private boolean started;

    /** A server for {@code api}; nothing listens until {@link #start()}. */
    public FlywheelServer(ServerConfig config, DynamoDbApi api) {
        this(config, api, null);
    }

    /**
     * A server for {@code api} whose callers are held to {@code accessControl}'s policies (null: every
     * caller may do everything).
     */
    public FlywheelServer(ServerConfig config, DynamoDbApi api, AccessControl accessControl) {
        this(config, api, accessControl, null);
    }

    /**
     * A server for {@code api} as above, whose requests are counted and timed in {@code registry} (null:
     * not measured) as {@code flywheel.requests} by operation and outcome.
     */
    public FlywheelServer(ServerConfig config, DynamoDbApi api, AccessControl accessControl, MeterRegistry registry) {
        this(config, new JsonProtocolInvoker(api, accessControl), Clock.systemUTC(),
                registry == null ? RequestMetrics.NONE : new RequestMetrics(registry));
    }

    FlywheelServer(ServerConfig config, RequestInvoker invoker, Clock clock) {
        this(config, invoker, clock, RequestMetrics.NONE);
    }

    private FlywheelServer(ServerConfig config, RequestInvoker invoker, Clock clock, RequestMetrics metrics) {
        this.config = config;
        // DynamoDB and DynamoDB Streams both sign requests for the service "dynamodb".
        RequestAuthenticator authenticator = RequestAuthenticator.create(config.credentials(), "dynamodb", clock);
        this.endpoint = new DynamoDbEndpoint(invoker, authenticator, config.region(), metrics);
        // Read now, so that a bad certificate is reported before anything listens.
        this.tls = config.tls() == null ? null : config.tls().serverContext();
    }

    /**
     * Binds and starts serving.
     *
     * @return the address listened on, with the actual port when the configured one was 0
     * @throws IllegalStateException if called twice, or if binding fails (the cause says why, e.g. a
     *     "Address already in use" when the port is taken)
     */
    public synchronized InetSocketAddress start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        // Unnamed: a numbered name is a string built for every request (1% of a GetItem's CPU in a profile),
        // and a thread dump shows a request's virtual thread by its stack anyway.
        executor = Executors.newVirtualThreadPerTaskExecutor();
        // Linux's epoll transport where its native library loads (x86-64 Linux), else the JDK's NIO.
        boolean epoll = Epoll.isAvailable();
        eventLoops = new MultiThreadIoEventLoopGroup(epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ChannelFuture bound = new ServerBootstrap()
                .group(eventLoops)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ServerPipeline(endpoint, executor, config.maxRequestBytes(), connections, tls))
                .bind(config.bindAddress(), config.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            releaseThreads();
            throw new IllegalStateException(
                    "cannot listen on " + config.bindAddress().getHostAddress() + ":" + config.port(), bound.cause());
        }
        listener = bound.channel();
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        log.debug("listening on {} ({})", address, config);
        return address;
    }

    /** Stops accepting, finishes the requests in flight, then closes every connection and thread. */
    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        listener.close().syncUninterruptibly();
        listener = null;
        connections.forEach(connection -> connection.pipeline().fireUserEventTriggered(RequestHandler.Drain.INSTANCE));
        if (!connections.newCloseFuture().awaitUninterruptibly(remainingMillis(deadline))) {
            log.warn("Closing {} connections with requests still in flight after {}", connections.size(),
                    config.shutdownTimeout());
            connections.close().awaitUninterruptibly();
        }
        releaseThreads();
        log.debug("HTTP server closed");
    }

    private void releaseThreads() {
        executor.shutdown();
        eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
