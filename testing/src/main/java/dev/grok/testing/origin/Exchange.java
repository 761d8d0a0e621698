package dev.grok.testing.origin;

import dev.grok.testing.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * One request/response on a connection of the origin, driven by {@link OriginConnectionHandler} on the channel's
 * event loop (every method runs there). Subclasses are the origin's behaviours. The connection hands each body
 * chunk to {@link #onContent} (which owns it from then on), then calls {@link #onRequestEnd} once; the exchange
 * calls {@link #finish} once its last write was issued.
 */
abstract class Exchange {
  final OriginConnectionHandler connection;
  final HttpRequest request;
  final boolean keepAlive;
  final boolean headRequest;
  private boolean finished;

  Exchange(OriginConnectionHandler connection, HttpRequest request) {
    this.connection = connection;
    this.request = request;
    this.keepAlive = HttpUtil.isKeepAlive(request);
    this.headRequest = HttpMethod.HEAD.equals(request.method());
  }

  /** The request head arrived. */
  void onStart(ChannelHandlerContext ctx) {}

  /** A body chunk arrived; this exchange now owns {@code content}. */
  void onContent(ChannelHandlerContext ctx, ByteBuf content) {
    content.release();
  }

  /** The body ended; {@code recorded} is already in the origin's recording. */
  abstract void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded);

  /** The channel became writable again. */
  void onWritable(ChannelHandlerContext ctx) {}

  /** The connection closed (before or after {@link #finish}). */
  void onClosed() {}

  /** A response head with {@code Connection} set from the request. */
  HttpResponse newHead(HttpResponseStatus status) {
    HttpResponse head = new DefaultHttpResponse(request.protocolVersion(), status);
    HttpUtil.setKeepAlive(head, keepAlive);
    return head;
  }

  /** Writes a whole response (no body for HEAD, 1xx, 204, 304) and finishes. */
  void respond(ChannelHandlerContext ctx, OriginResponse response) {
    HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
    byte[] body = response.body();
    boolean bodyless = response.status() == 204 || response.status() == 304;
    ByteBuf content = headRequest || bodyless ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    FullHttpResponse full = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
    for (Header h : response.headers()) {
      full.headers().add(h.name(), h.value());
    }
    if (!bodyless && !full.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && !full.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      HttpUtil.setContentLength(full, body.length);
    }
    HttpUtil.setKeepAlive(full, keepAlive);
    finish(ctx, ctx.writeAndFlush(full));
  }

  /** The last write of the response was issued: the connection moves on (or closes after it). */
  void finish(ChannelHandlerContext ctx, ChannelFuture lastWrite) {
    if (!finished) {
      finished = true;
      connection.exchangeFinished(ctx, this, lastWrite);
    }
  }

  boolean isFinished() {
    return finished;
  }
}
