package dev.flywheel.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Aggregates request bodies up to the limit. A larger body (announced by Content-Length, or found
 * while chunks arrive) is not buffered: the connection stops reading and an {@link OversizedRequest}
 * goes down the pipeline in the request's place, to be answered 413 in order with the others and
 * the connection closed.
 */
final class OversizedRequestAggregator extends HttpObjectAggregator {

    OversizedRequestAggregator(int maxRequestBytes) {
        super(maxRequestBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // Netty's default answers a bare 413 at once, ahead of any pipelined answers still pending.
        ctx.channel().config().setAutoRead(false);
        ctx.fireChannelRead(new OversizedRequest(oversized.protocolVersion()));
    }
}
