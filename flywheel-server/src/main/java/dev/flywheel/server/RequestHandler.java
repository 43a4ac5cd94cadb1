package dev.flywheel.server;

import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.DynamoDbException.RequestEntityTooLargeException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: copied on the event loop, answered on the executor (or, when that needs
 * no wait, on the event loop itself), written back on the event loop.
 *
 * <p><b>Order.</b> HTTP/1.1 answers pipelined requests in the order they were sent, and a client that
 * pipelines a PutItem and then a GetItem expects the GetItem to see the put. So a connection's requests
 * run one after another: each is chained onto the previous one's future. Different connections run in
 * parallel. A request arriving when nothing of its connection is in flight may be answered right here
 * on the event loop if it needs no wait (a GetItem of an item in memory, {@link NonBlocking}).
 *
 * <p><b>Bounds.</b> At most {@value #MAX_QUEUED_REQUESTS} requests of a connection wait for their
 * answer; beyond that the connection stops reading until one is answered, so a client cannot queue
 * unbounded work (or unbounded bodies) in the server.
 *
 * <p><b>Closing.</b> After a response that does not keep the connection alive (the client asked, the
 * body was too large, the server is draining) the connection is closed once that response is written.
 *
 * <p>Every field is touched only on the connection's event loop.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    static final int MAX_QUEUED_REQUESTS = 16;
    private static final int LINGER_SECONDS = 5;

    /** The user event that asks a connection to finish its requests and close (server shutdown). */
    enum Drain { INSTANCE }

    private final DynamoDbEndpoint endpoint;
    private final Executor executor;
    private final String tooLargeMessage;
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    private int queued;
    private boolean draining;
    private boolean closing;
    /** Set when a body too large to read was refused: the rest of it may still be arriving. */
    private boolean unreadUpload;

    RequestHandler(DynamoDbEndpoint endpoint, Executor executor, int maxRequestBytes) {
        this.endpoint = endpoint;
        this.executor = executor;
        this.tooLargeMessage = "Request must be no larger than " + maxRequestBytes + " bytes";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (closing && (message instanceof FullHttpRequest || message instanceof OversizedRequest)) {
            // Sent after a request that closes the connection: it will never be answered, so never run it.
            ReferenceCountUtil.release(message);
        } else if (message instanceof FullHttpRequest request) {
            try {
                if (request.decoderResult().isFailure()) {
                    enqueue(ctx, () -> Answer.BAD_REQUEST, request.protocolVersion(), false);
                } else {
                    ReceivedRequest received = ReceivedRequest.copyOf(request);
                    if (!answeredHere(ctx, received)) {
                        enqueue(ctx, () -> endpoint.answer(received), received.version(), received.keepAlive());
                    }
                }
            } finally {
                request.release();
            }
        } else if (message instanceof OversizedRequest oversized) {
            RequestEntityTooLargeException error = new RequestEntityTooLargeException(tooLargeMessage);
            unreadUpload = true;
            enqueue(ctx, () -> endpoint.error(error, Answer.AMZ_JSON_1_0), oversized.version(), false);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event != Drain.INSTANCE) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        draining = true;
        if (queued == 0) {
            ctx.close();
        }
    }

    /**
     * Answers {@code request} on the event loop if nothing of the connection is in flight (so order
     * holds) and it needs no wait ({@link DynamoDbEndpoint#answerWithoutBlocking}): a GetItem of an item
     * in memory then costs no hand-off to a virtual thread and back.
     *
     * @return false if the request is still to be answered
     */
    private boolean answeredHere(ChannelHandlerContext ctx, ReceivedRequest request) {
        if (queued != 0 || closing || draining || !request.keepAlive()) return false;
        Answer answer = endpoint.answerWithoutBlocking(request);
        if (answer == null) return false;
        queued++;
        respond(ctx, answer, request.version(), true);
        return true;
    }

    private void enqueue(ChannelHandlerContext ctx, Supplier<Answer> work, HttpVersion version, boolean keepAlive) {
        if (!keepAlive) {
            closing = true;
        }
        if (++queued >= MAX_QUEUED_REQUESTS || closing) {
            ctx.channel().config().setAutoRead(false);
        }
        previous = previous.thenRunAsync(() -> {
            if (!ctx.channel().isActive()) {
                return; // the client is gone: do not run its remaining requests
            }
            Answer answer = answerOrLastResort(work);
            ctx.executor().execute(() -> respond(ctx, answer, version, keepAlive));
        }, executor);
    }

    private static Answer answerOrLastResort(Supplier<Answer> work) {
        try {
            return work.get();
        } catch (Throwable t) {
            log.error("Could not answer a request", t);
            return Answer.LAST_RESORT_ERROR;
        }
    }

    private void respond(ChannelHandlerContext ctx, Answer answer, HttpVersion version, boolean keepAlive) {
        queued--;
        boolean keepOpen = keepAlive && !(draining && queued == 0);
        ChannelFuture written = ctx.writeAndFlush(answer.toHttpResponse(ctx.alloc(), version, keepOpen));
        if (!keepOpen) {
            closing = true;
            written.addListener(unreadUpload ? f -> closeAfterTheUpload(ctx) : ChannelFutureListener.CLOSE);
        } else if (!closing && queued < MAX_QUEUED_REQUESTS) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Closes a connection whose client may still be sending a body too large to read. Closing with data
     * unread makes the kernel reset the connection, and a client still sending then loses the answer
     * already written (it sees no response at all): so the answer is followed by a FIN, what still
     * arrives is read and dropped (the aggregator discards an oversized body's content), and the
     * connection closes when the client closes it, or after {@value #LINGER_SECONDS} seconds.
     */
    private static void closeAfterTheUpload(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof DuplexChannel duplex)) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput();
        ctx.channel().config().setAutoRead(true);
        ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    /** A connection that fails is closed, never left hanging; a reset by the client is routine. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Closing connection {} after {}", ctx.channel(), cause.toString());
        } else {
            log.warn("Closing connection {} after an unexpected failure", ctx.channel(), cause);
        }
        ctx.close();
    }
}
