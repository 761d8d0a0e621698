package dev.grok.testing.origin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;

/**
 * {@link Fault#STALL_AFTER_HEADERS} and {@link Fault#CLOSE_MID_BODY}, acted out once the request was read.
 * ({@link Fault#RESET_AT_START} is handled by the connection on the request head; {@link Fault#NO_RESPONSE} by
 * {@link StallExchange}.)
 */
final class FaultExchange extends Exchange {
  private final Fault fault;

  FaultExchange(OriginConnectionHandler connection, HttpRequest request, Fault fault) {
    super(connection, request);
    this.fault = fault;
  }

  @Override
  void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded) {
    HttpResponse head = newHead(HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    switch (fault) {
      case STALL_AFTER_HEADERS -> {
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.writeAndFlush(head);
      }
      case CLOSE_MID_BODY -> {
        HttpUtil.setContentLength(head, Fault.CLOSE_MID_BODY_CONTENT_LENGTH);
        ctx.write(head);
        byte[] part = Fault.CLOSE_MID_BODY_BYTES.getBytes(StandardCharsets.US_ASCII);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(part)))
            .addListener(ChannelFutureListener.CLOSE);
      }
      default -> throw new IllegalStateException("fault: " + fault + " (expected: STALL_AFTER_HEADERS or "
          + "CLOSE_MID_BODY)");
    }
  }
}
