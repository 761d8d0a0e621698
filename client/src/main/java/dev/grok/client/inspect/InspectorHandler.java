package dev.grok.client.inspect;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection to the inspector: hands each whole request to the {@link InspectorApi}; the exception sink. */
final class InspectorHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(InspectorHandler.class);

  private final InspectorApi api;

  InspectorHandler(InspectorApi api) {
    this.api = api;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      api.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "malformed request: " + request.decoderResult().cause());
      return;
    }
    try {
      api.handle(ctx, request);
    } catch (RuntimeException e) {
      log.warn("inspector: {} {} failed", request.method(), request.uri(), e);
      api.error(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("inspector connection failed: {}", cause.toString());
    ctx.close();
  }
}
