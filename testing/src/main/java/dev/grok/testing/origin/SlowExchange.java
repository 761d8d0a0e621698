package dev.grok.testing.origin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code /slow}: chunked {@code chunk-i\n} pieces, either one every {@code delayMs} (timed) or one per release
 * by the test (gated). The {@link SlowStream} is published when the head is written.
 */
final class SlowExchange extends Exchange {
  private final int chunkCount;
  /** Timed mode's period; -1 in gated mode. */
  private final long delayMillis;
  private final BlockingQueue<SlowStream> published;
  private SlowStream stream;
  /** Chunks written so far; event loop only. */
  private int next;
  /** Gated mode: chunks the test allowed so far; event loop only. */
  private int allowed;
  /** Timed mode: the pending tick, null when none; event loop only. */
  private ScheduledFuture<?> tick;
  private boolean closed;

  SlowExchange(OriginConnectionHandler connection, HttpRequest request, int chunkCount, long delayMillis,
      BlockingQueue<SlowStream> published) {
    super(connection, request);
    this.chunkCount = chunkCount;
    this.delayMillis = delayMillis;
    this.published = published;
  }

  @Override
  void onRequestEnd(ChannelHandlerContext ctx, RecordedRequest recorded) {
    boolean gated = delayMillis < 0;
    // Release requests come from the test thread: hand them to this channel's event loop.
    stream = new SlowStream(request.uri(), chunkCount, gated,
        n -> ctx.executor().execute(() -> allow(ctx, n)));
    HttpResponse head = newHead(HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    ctx.writeAndFlush(head);
    published.add(stream);
    if (chunkCount == 0) {
      sendTerminator(ctx);
    } else if (!gated) {
      sendNext(ctx);
    }
  }

  private void allow(ChannelHandlerContext ctx, int n) {
    allowed = (int) Math.min(chunkCount, (long) allowed + n);
    while (!closed && next < allowed) {
      sendNext(ctx);
    }
  }

  private void sendNext(ChannelHandlerContext ctx) {
    int index = next++;
    byte[] text = SlowStream.chunkText(index).getBytes(StandardCharsets.US_ASCII);
    ChannelFuture write = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(text)));
    write.addListener(f -> {
      if (f.isSuccess()) {
        stream.markSent(index);
      }
    });
    if (next == chunkCount) {
      sendTerminator(ctx);
    } else if (delayMillis >= 0) {
      tick = ctx.executor().schedule(() -> {
        tick = null;
        if (!closed) {
          sendNext(ctx);
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void sendTerminator(ChannelHandlerContext ctx) {
    ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    last.addListener(f -> {
      if (f.isSuccess()) {
        stream.markFinished();
      }
    });
    finish(ctx, last);
  }

  @Override
  void onClosed() {
    closed = true;
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }
}
