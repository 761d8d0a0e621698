package dev.grok.testing.websocket;

import dev.grok.testing.Header;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * In front of the protocol handler: records each handshake request as an {@link OriginSession}, refuses it with 403
 * when the origin is set to, and on the way out puts the greeting right behind the 101 (same flush: the handshaker
 * writes the 101 with writeAndFlush, and the greeting is written before that flush reaches the socket).
 */
final class OriginHandshakeHandler extends ChannelDuplexHandler {
  private final WebSocketEchoOrigin origin;
  /** Greeting for this connection's 101; null when none or already sent. Event-loop confined. */
  private String greeting;

  OriginHandshakeHandler(WebSocketEchoOrigin origin) {
    this.origin = origin;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    List<Header> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.add(new Header(h.getKey(), h.getValue()));
    }
    origin.sessionStarted(new OriginSession(ctx.channel(), request.method().name(), request.uri(), headers));
    if (origin.refuseUpgrades()) {
      request.release();
      FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
          Unpooled.copiedBuffer(WebSocketEchoOrigin.REFUSAL_BODY, StandardCharsets.UTF_8));
      refusal.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, refusal.content().readableBytes());
      ctx.writeAndFlush(refusal);
      return;
    }
    greeting = origin.greeting();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
    if (greeting != null && msg instanceof HttpResponse response
        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      // The handshaker already put the WebSocket encoder in front of the HTTP codec, which lets frames pass.
      ctx.write(new TextWebSocketFrame(greeting));
      greeting = null;
    }
  }
}
