package dev.grok.server.edge.http;

import dev.grok.common.relay.RawRelay;
import dev.grok.common.relay.RelayTunnel;
import dev.grok.server.metrics.ErrorKind;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.stream.TunnelExchange;
import dev.grok.server.stream.StreamPool;
import dev.grok.server.stream.TunnelStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.ScheduledFuture;

/**
 * The state of one {@link EdgeHttpExchange} and the ways it ends: grok's own error page ({@link #fail}), a cut
 * connection ({@link #abortConnection}), a clean end; each releases or aborts the stream, tells the observer once
 * and hands the connection back. Also the stream as the raw relay sees it after a 101 ({@link RawSide}). Split
 * from the exchange only for size: one object per exchange, confined to the edge channel's event loop like it;
 * fields are package-private for the exchange, which alone drives them.
 */
abstract sealed class EdgeHttpExchangeState implements TunnelExchange permits EdgeHttpExchange {
  final EdgeContext edge;
  final EdgeHttpHandler connection;
  final ChannelHandlerContext ctx;
  final HttpRequest request;
  final long id;
  final boolean isHead;
  final boolean json;
  /** The visitor asked to switch protocols ({@link EdgeUpgrade#isUpgradeRequest}); its decoder is gone. */
  final boolean upgrade;
  /** A 101 was relayed: raw bytes both ways from now on, through {@link #relay}. */
  boolean raw;
  /** Relays the raw bytes after a 101 (in this handler's place in the pipeline); null before. */
  RawRelay relay;
  /** The visitor asked to keep the connection; cleared when the exchange forbids it. */
  boolean keepAlive;

  /** The tunnel owner's stream pool; null until routed. */
  StreamPool streams;
  /** Null until a stream is assigned. */
  TunnelStream stream;
  ScheduledFuture<?> timeout;
  /** Everything of the request body went to the tunnel (or there was none). */
  boolean requestEnded;
  boolean responseStarted;
  boolean responseEnded;
  /** A read of the visitor is due as soon as the stream is ready again. */
  boolean readWanted;
  /** Finished (successfully or not); late callbacks are ignored. */
  boolean done;
  /** WWW-Authenticate of a 401 answered by grok itself; null otherwise. */
  String challenge;
  /** Retry-After (seconds) of a 429 answered by grok itself; 0 otherwise. */
  long retryAfterSeconds;

  // What the observer is told at the end. tunnel is null until routed; status 0 until one is sent.
  final long startNanos = System.nanoTime();
  Tunnel tunnel;
  int status;
  ErrorKind error;
  long requestBodyBytes;
  long responseBodyBytes;

  EdgeHttpExchangeState(EdgeContext edge, EdgeHttpHandler connection, ChannelHandlerContext ctx, HttpRequest request,
      long id) {
    this.edge = edge;
    this.connection = connection;
    this.ctx = ctx;
    this.request = request;
    this.id = id;
    this.isHead = HttpMethod.HEAD.equals(request.method());
    this.json = ErrorPages.wantsJson(request.headers().get(HttpHeaderNames.ACCEPT));
    this.upgrade = EdgeUpgrade.isUpgradeRequest(request);
    // After an upgrade request the connection cannot be read as HTTP again, whatever the answer.
    this.keepAlive = HttpUtil.isKeepAlive(request) && !upgrade;
  }

  // ---- endings ----

  void maybeFinish() {
    if (done || !responseEnded) {
      return;
    }
    if (!requestEnded) {
      // answered before the body was sent: the stream still expects request bytes, so it cannot be reused
      finish(false, false);
      return;
    }
    finish(true, keepAlive);
  }

  /** grok answers itself (error page). The stream, if any, is reused when both sides are at a clean boundary. */
  void fail(HttpResponseStatus status, String title, String detail) {
    if (!requestEnded) {
      keepAlive = false;
    }
    this.status = status.code();
    error = error != null ? error : ErrorKind.ofStatus(status.code());
    EdgeResponses.writeErrorPage(ctx, status, title, detail, json, isHead, keepAlive, challenge, retryAfterSeconds);
    // after a timeout the client may still answer later: never reuse that stream
    boolean reusable = requestEnded && status != HttpResponseStatus.GATEWAY_TIMEOUT
        && status.code() != 503;
    finish(reusable, keepAlive);
  }

  void abortConnection() {
    finish(false, false);
    if (relay != null) {
      relay.onTunnelClosed("exchange " + id + " aborted"); // the relay's reset rule
    } else {
      ctx.close();
    }
  }

  void finish(boolean reuseStream, boolean keepConnection) {
    if (done) {
      return;
    }
    done = true;
    cancelTimeout();
    if (stream != null) {
      if (reuseStream) {
        stream.release();
      } else {
        stream.abort("exchange " + id + " ended early");
      }
      stream = null;
    } else if (streams != null) {
      streams.cancelWait(this);
    }
    ended();
    connection.exchangeDone((EdgeHttpExchange) this, keepConnection); // sealed: the only kind
  }

  /** The one point where every exchange ends, whichever way. */
  void ended() {
    edge.inFlight.decrementAndGet();
    edge.observer.exchangeEnded(tunnel, request.method().name(), request.uri(), status, error, requestBodyBytes,
        responseBodyBytes, System.nanoTime() - startNanos, ctx.channel().remoteAddress());
  }

  /** The stream as the relay sees it after a 101; called on our loop. */
  final class RawSide implements RelayTunnel {
    @Override
    public void send(ByteBuf bytes, boolean end) {
      requestBodyBytes += bytes.readableBytes();
      stream.sendData(bytes, end);
    }

    @Override
    public boolean isReady() {
      return stream != null && stream.isReady();
    }

    @Override
    public void request(int frames) {
      if (stream != null) {
        stream.requestUpTo(frames);
      }
    }

    @Override
    public void abort(String reason) {
      error = error != null ? error : ErrorKind.VISITOR_GONE;
      finish(false, false);
    }

    @Override
    public void done() {
      finish(true, false); // both directions half-closed cleanly: the stream is reusable
    }
  }

  void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
