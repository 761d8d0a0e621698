package dev.grok.server.edge.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * First handler of an HTTP/2 stream: answers a stream error that Netty's codec found in a stream it had already
 * opened (a content-length the DATA disagrees with, missing pseudo-headers) with RST_STREAM carrying the error's
 * own code, PROTOCOL_ERROR for a malformed request (RFC 9113 8.1.1). Without it the multiplexer closes the stream
 * child, which resets it with CANCEL: the visitor would not learn that its request was malformed, and the refusal
 * would not be counted ({@link EdgeHttp2Refusals} counts the PROTOCOL_ERROR resets). The error then travels on to
 * the exchange handler, which ends the exchange.
 */
final class EdgeHttp2StreamErrors extends ChannelInboundHandlerAdapter {
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2Exception.StreamException e && ctx.channel().isActive()) {
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(e.error()));
    }
    ctx.fireExceptionCaught(cause);
  }
}
