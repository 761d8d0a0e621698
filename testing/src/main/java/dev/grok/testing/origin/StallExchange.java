package dev.grok.testing.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** {@code /stall} and {@link Fault#NO_RESPONSE}: reads the whole request and never answers. */
final class StallExchange extends Exchange {
  StallExchange(OriginConnectionHandler connection, HttpRequest request) {
    super(connection, request);
  }

  @Override
  void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded) {
    // Deliberately nothing: the connection stays open until the peer or the origin closes it.
  }
}
