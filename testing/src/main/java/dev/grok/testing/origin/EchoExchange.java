package dev.grok.testing.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * {@code /echo...}: a 200 head right away, then every body chunk written back as it arrives (chunked encoding).
 * Nothing is buffered: when the socket stops draining, the connection stops reading until it is writable again.
 */
final class EchoExchange extends Exchange {
  EchoExchange(OriginConnectionHandler connection, HttpRequest request) {
    super(connection, request);
  }

  @Override
  void onStart(ChannelHandlerContext ctx) {
    HttpResponse head = newHead(HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType == null ? "application/octet-stream" : contentType);
    head.headers().set("X-Echo-Method", request.method().name());
    head.headers().set("X-Echo-Uri", request.uri());
    String host = request.headers().get(HttpHeaderNames.HOST);
    head.headers().set("X-Echo-Host", host == null ? "" : host);
    head.headers().set("X-Echo-Header-Count", request.headers().size());
    ctx.writeAndFlush(head);
  }

  @Override
  void onContent(ChannelHandlerContext ctx, ByteBuf content) {
    if (!content.isReadable() || headRequest) {
      content.release();
      return;
    }
    // The chunk changes owner: the write releases it once flushed.
    ctx.writeAndFlush(new DefaultHttpContent(content));
    if (!ctx.channel().isWritable()) {
      connection.pauseReadingUntilWritable(ctx);
    }
  }

  @Override
  void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded) {
    finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
  }
}
