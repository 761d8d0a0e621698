package dev.grok.testing.origin;

import dev.grok.testing.BytePattern;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * {@code /bytes/N}: N bytes of {@link BytePattern} with {@code Content-Length: N}, in 64 KiB writes issued only
 * while the channel is writable, so a 1 GiB download holds at most the write-buffer high watermark in memory.
 */
final class BytesExchange extends Exchange {
  /** One pattern block, shared by every write: each write wraps (never copies) a slice of it. */
  private static final byte[] BLOCK = BytePattern.block();

  private final long length;
  /** Bytes not yet written; -1 until the request ended. */
  private long remaining = -1;

  BytesExchange(OriginConnectionHandler connection, HttpRequest request, long length) {
    super(connection, request);
    this.length = length;
  }

  @Override
  void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded) {
    HttpResponse head = newHead(HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
    HttpUtil.setContentLength(head, length);
    ctx.write(head);
    remaining = headRequest ? 0 : length;
    produce(ctx);
  }

  @Override
  void onWritable(ChannelHandlerContext ctx) {
    if (remaining > 0 && !isFinished()) {
      produce(ctx);
    }
  }

  private void produce(ChannelHandlerContext ctx) {
    while (remaining > 0 && ctx.channel().isWritable()) {
      int n = (int) Math.min(BytePattern.BLOCK_BYTES, remaining);
      // Every block starts at a multiple of the pattern's period, so it is always the start of BLOCK.
      ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(BLOCK, 0, n)));
      remaining -= n;
    }
    if (remaining == 0) {
      finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    } else {
      ctx.flush();
    }
  }
}
