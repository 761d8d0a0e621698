package dev.grok.testing.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Function;

/** Reads (and drops) the whole body, then answers with a whole response chosen from the recorded request. */
final class CannedExchange extends Exchange {
  private final Function<RecordedRequest, OriginResponse> responder;

  CannedExchange(OriginConnectionHandler connection, HttpRequest request,
      Function<RecordedRequest, OriginResponse> responder) {
    super(connection, request);
    this.responder = responder;
  }

  @Override
  void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded) {
    OriginResponse response;
    try {
      response = responder.apply(recorded);
    } catch (RuntimeException | AssertionError e) {
      response = OriginResponse.text(500, "origin handler failed: " + e + "\n");
    }
    respond(ctx, response);
  }
}
