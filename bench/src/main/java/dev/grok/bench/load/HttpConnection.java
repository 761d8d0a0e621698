package dev.grok.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive connection of an {@link HttpLoad}: sends one request, checks its answer (status 200, the exact
 * body length, for an upload the byte count the sink read) and hands itself back to the pool. Everything runs on
 * the pool's loop.
 */
final class HttpConnection extends SimpleChannelInboundHandler<HttpObject> {
  private static final int SMALL_BODY_BYTES = 64;

  private final HttpLoad pool;
  /** Set by the pool once connected; never null after that. */
  Channel channel;
  /** When the connection last went back to the pool (System.nanoTime). */
  long idleSinceNanos;

  // The exchange in progress, null between exchanges.
  private HttpLoad.Exchange current;
  private int status;
  private long bodyBytes;
  private boolean keepAlive;
  /** The first bytes of an upload's answer (the sink's count). */
  private final StringBuilder smallBody = new StringBuilder();
  private ScheduledFuture<?> timeout;

  HttpConnection(HttpLoad pool) {
    this.pool = pool;
  }

  void start(HttpLoad.Exchange x) {
    current = x;
    status = 0;
    bodyBytes = 0;
    keepAlive = true;
    smallBody.setLength(0);
    timeout = pool.schedule(() -> fail("no complete answer within "
        + HttpLoad.EXCHANGE_TIMEOUT_NANOS / 1_000_000_000 + " s"), HttpLoad.EXCHANGE_TIMEOUT_NANOS);
    FullHttpRequest request = switch (x.kind()) {
      case GET_1K -> get("/1k.bin");
      case DOWNLOAD_1M -> get("/1m.bin");
      case UPLOAD_1M -> {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/upload",
            HttpLoad.UPLOAD_BODY.duplicate());
        HttpUtil.setContentLength(r, HttpLoad.UPLOAD_BODY.readableBytes());
        yield r;
      }
      case ECHO -> throw new IllegalArgumentException("an echo is not an HTTP exchange");
    };
    request.headers().set(HttpHeaderNames.HOST, pool.host);
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        fail("write failed: " + f.cause());
      }
    });
  }

  private static FullHttpRequest get(String path) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (current == null) {
      fail("bytes without a request: " + msg);
      return;
    }
    if (msg instanceof HttpResponse r) {
      if (!r.decoderResult().isSuccess()) {
        fail("bad response: " + r.decoderResult().cause());
        return;
      }
      status = r.status().code();
      keepAlive = HttpUtil.isKeepAlive(r);
    }
    if (msg instanceof HttpContent c) {
      ByteBuf b = c.content();
      bodyBytes += b.readableBytes();
      if (current.kind() == Kind.UPLOAD_1M && smallBody.length() < SMALL_BODY_BYTES) {
        smallBody.append(b.toString(b.readerIndex(), Math.min(b.readableBytes(), SMALL_BODY_BYTES),
            StandardCharsets.US_ASCII));
      }
      if (msg instanceof LastHttpContent) {
        finish();
      }
    }
  }

  private void finish() {
    HttpLoad.Exchange x = current;
    String wrong = check(x.kind());
    current = null;
    timeout.cancel(false);
    if (wrong != null) {
      x.stats().failed(x.kind(), x.intendedNanos(), wrong);
      channel.close(); // its state is unknown
      return;
    }
    x.stats().ok(x.kind(), x.intendedNanos());
    if (keepAlive) {
      pool.released(this);
    } else {
      channel.close();
    }
  }

  /** What is wrong with the answer, or null. */
  private String check(Kind kind) {
    if (status != 200) {
      return "status " + status + " (expected 200), " + bodyBytes + " body bytes";
    }
    if (kind == Kind.UPLOAD_1M) {
      String sunk = smallBody.toString().trim();
      return sunk.equals(Long.toString(kind.bodyBytes)) ? null
          : "the upload sink read '" + sunk + "' bytes (expected " + kind.bodyBytes + ")";
    }
    return bodyBytes == kind.bodyBytes ? null
        : "short body: " + bodyBytes + " bytes (expected " + kind.bodyBytes + ")";
  }

  private void fail(String why) {
    HttpLoad.Exchange x = current;
    if (x == null) {
      channel.close();
      return;
    }
    current = null;
    timeout.cancel(false);
    x.stats().failed(x.kind(), x.intendedNanos(), why + " (status " + status + ", " + bodyBytes + " body bytes)");
    channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      fail("connection closed");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail("connection error: " + cause);
  }
}
