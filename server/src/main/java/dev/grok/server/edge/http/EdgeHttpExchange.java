package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import dev.grok.common.compress.CompressibleBody;
import dev.grok.common.relay.RawRelay;
import dev.grok.common.relay.RelayTunnel;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.server.registry.BasicAuth;
import dev.grok.server.metrics.ErrorKind;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.stream.TunnelExchange;
import dev.grok.server.stream.StreamPool;
import dev.grok.server.stream.TunnelStream;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP request/response between a visitor and a tunnel, on one standby stream. Lives on the edge channel's
 * event loop: gRPC callbacks are handled directly when the stream's connection runs on that loop (the pool
 * prefers such a stream), else handed over with {@code loop().execute}.
 *
 * <p>Backpressure: request chunks are read from the visitor only while the stream {@code isReady()} (else the
 * next read waits for onReady); response frames are requested from the stream only while the visitor's channel
 * is writable (else the next request waits for writability).
 *
 * <p>Upgrades: a request asking to switch protocols goes out with {@code upgrade} set; after a 101 the connection
 * is raw ({@link EdgeUpgrade}): a {@link RawRelay} takes the connection handler's place and relays its bytes both
 * ways, each direction ending with its own end_of_body (a half-close); this exchange stays the stream's owner and
 * passes the stream's frames to the relay. The response timeout ends with the 101, like with any head.
 */
final class EdgeHttpExchange implements TunnelExchange {
  private final EdgeContext edge;
  private final EdgeHttpHandler connection;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final long id;
  private final boolean isHead;
  private final boolean json;
  /** The visitor asked to switch protocols ({@link EdgeUpgrade#isUpgradeRequest}); its decoder is gone. */
  private final boolean upgrade;
  /** A 101 was relayed: raw bytes both ways from now on, through {@link #relay}. */
  private boolean raw;
  /** Relays the raw bytes after a 101 (in this handler's place in the pipeline); null before. */
  private RawRelay relay;
  /** The visitor asked to keep the connection; cleared when the exchange forbids it. */
  private boolean keepAlive;

  /** The tunnel owner's stream pool; null until routed. */
  private StreamPool streams;
  /** Null until a stream is assigned. */
  private TunnelStream stream;
  private ScheduledFuture<?> timeout;
  /** Everything of the request body went to the tunnel (or there was none). */
  private boolean requestEnded;
  private boolean responseStarted;
  private boolean responseEnded;
  /** A read of the visitor is due as soon as the stream is ready again. */
  private boolean readWanted;
  /** Finished (successfully or not); late callbacks are ignored. */
  private boolean done;
  /** WWW-Authenticate of a 401 answered by grok itself; null otherwise. */
  private String challenge;
  /** Retry-After (seconds) of a 429 answered by grok itself; 0 otherwise. */
  private long retryAfterSeconds;

  // What the observer is told at the end. tunnel is null until routed; status 0 until one is sent.
  private final long startNanos = System.nanoTime();
  private Tunnel tunnel;
  private int status;
  private ErrorKind error;
  private long requestBodyBytes;
  private long responseBodyBytes;

  EdgeHttpExchange(EdgeContext edge, EdgeHttpHandler connection, ChannelHandlerContext ctx, HttpRequest request,
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

  @Override
  public EventLoop loop() {
    return ctx.channel().eventLoop();
  }

  // ---- visitor side (event loop) ----

  void start() {
    edge.inFlight.incrementAndGet();
    requestEnded = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0L;
    String host = request.headers().get(HttpHeaderNames.HOST);
    if (host == null) {
      fail(HttpResponseStatus.BAD_REQUEST, "Missing Host header",
          "HTTP/1.1 requests must name the host, e.g. Host: NAME." + edge.domain + ".");
      return;
    }
    String name = edge.router.nameOf(host);
    if (name == null) {
      fail(HttpResponseStatus.NOT_FOUND, "Unknown host",
          "The host '" + host + "' is not served here: tunnels live at NAME." + edge.domain + ".");
      return;
    }
    Tunnel tunnel = edge.registry.lookup(name);
    if (tunnel == null) {
      fail(HttpResponseStatus.NOT_FOUND, "Tunnel not found",
          "No tunnel is live at '" + host + "'. Start one with: grok http PORT --subdomain " + name);
      return;
    }
    this.tunnel = tunnel;
    if (!tunnel.admits(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      challenge = BasicAuth.CHALLENGE;
      fail(HttpResponseStatus.UNAUTHORIZED, "Authentication required",
          "This tunnel asks for a user name and password (HTTP Basic). Send the ones its owner gave you.");
      return;
    }
    if ((retryAfterSeconds = edge.rateLimiter.retryAfterSeconds(tunnel)) > 0) {
      edge.rejections.edge("rate_limited");
      fail(HttpResponseStatus.TOO_MANY_REQUESTS, "Too many requests", "This tunnel takes at most "
          + edge.rateLimiter.limitOf(tunnel) + ". Retry in " + retryAfterSeconds + " s.");
      return;
    }
    streams = tunnel.streams();
    timeout = ctx.channel().eventLoop().schedule(this::onTimeout, edge.responseTimeoutMillis,
        TimeUnit.MILLISECONDS);
    TunnelStream s;
    try {
      s = streams.acquire(this);
    } catch (IllegalStateException overloaded) {
      fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "Tunnel overloaded", overloaded.getMessage());
      return;
    }
    if (s != null) {
      onStream(s);
    } else if (streams.isClosed()) {
      fail(HttpResponseStatus.BAD_GATEWAY, "Tunnel client gone",
          "The grok client serving '" + host + "' disconnected. Start it again.");
    }
    // else: queued; onStreamAssigned continues
  }

  @Override
  public void onStreamAssigned(TunnelStream s) {
    loop().execute(() -> {
      if (done) {
        s.release();
        return;
      }
      onStream(s);
    });
  }

  private void onStream(TunnelStream s) {
    stream = s;
    stream.compressBody(tunnel.compression(),
        !requestEnded && !upgrade && CompressibleBody.worthCompressing(request));
    stream.send(ServerFrame.newBuilder().setRequestHead(EdgeFrames.requestHead(request, id, tunnel.tunnelId(),
        requestEnded, upgrade, EdgeFrames.remoteIp(ctx.channel()), edge.forwardedProto)).build());
    stream.requestUpTo(1); // the response head; body frames are prefetched once it is here
    if (!requestEnded) {
      readBodyWhenReady();
    }
  }

  /**
   * True when {@code last} is only the decoder's end of this exchange's bodiless request (no bytes, no trailers),
   * which the connection may hand over at once, without demand.
   */
  boolean endsBodilessRequest(LastHttpContent last) {
    return !done && !raw && !upgrade && requestEnded && !last.content().isReadable()
        && last.trailingHeaders().isEmpty();
  }

  void onEdgeContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (done || requestEnded || stream == null) {
      // after an early answer, or the empty last chunk of a bodiless request: nothing to forward
      content.release();
      if (!done && last) {
        requestEnded = true;
        maybeFinish();
      }
      if (!last || done) {
        connection.readNext();
      }
      return;
    }
    try {
      requestBodyBytes += content.content().readableBytes();
      stream.sendData(content.content(), last);
    } finally {
      content.release();
    }
    if (last) {
      requestEnded = true;
      maybeFinish();
    } else {
      readBodyWhenReady();
    }
  }

  private void readBodyWhenReady() {
    if (stream.isReady()) {
      connection.readNext();
    } else {
      readWanted = true;
    }
  }

  void onEdgeWritable() {
    if (!done && responseStarted) {
      requestFrames();
    }
  }

  /**
   * The request body broke the framing rules or paused too long ({@code refusal}): answered with its status when
   * no response has begun, else cut; the stream is never reused and the connection closes.
   */
  void onEdgeRefused(dev.grok.server.edge.guard.EdgeRefusal refusal) {
    if (done) {
      return;
    }
    keepAlive = false;
    if (responseStarted) {
      abortConnection();
    } else {
      requestEnded = false; // the stream still expects body bytes: never reusable
      fail(HttpResponseStatus.valueOf(refusal.status()), HttpResponseStatus.valueOf(refusal.status()).reasonPhrase(),
          refusal.detail());
    }
  }

  void onEdgeClosed() {
    if (done) {
      return;
    }
    done = true;
    cancelTimeout();
    if (stream != null) {
      stream.abort("visitor closed the connection");
    } else if (streams != null) {
      streams.cancelWait(this);
    }
    error = error != null ? error : ErrorKind.VISITOR_GONE;
    ended();
  }

  private void onTimeout() {
    if (done || responseStarted) {
      return;
    }
    keepAlive = false;
    fail(HttpResponseStatus.GATEWAY_TIMEOUT, "Local service timed out",
        "The local service sent no response within " + edge.responseTimeoutMillis / 1000 + " s.");
  }

  // ---- tunnel side (gRPC thread -> event loop) ----

  @Override
  public void onTunnelFrame(ClientFrame frame) {
    EventLoop loop = loop();
    if (loop.inEventLoop()) {
      handleFrame(frame); // the stream's connection is served by this loop (the usual case): no task hop
    } else {
      loop.execute(() -> handleFrame(frame));
    }
  }

  @Override
  public void onTunnelWritable() {
    loop().execute(() -> {
      if (raw) {
        relay.onTunnelReady();
      } else if (readWanted && !done) {
        readWanted = false;
        connection.readNext();
      }
    });
  }

  @Override
  public void onTunnelGone(Status status) {
    loop().execute(() -> {
      if (done) {
        return;
      }
      stream = null; // already gone: nothing to cancel
      error = ErrorKind.CLIENT_GONE;
      if (raw) {
        finish(false, false);
        relay.onTunnelClosed("tunnel stream ended: " + status.getCode());
      } else if (responseStarted) {
        abortConnection();
      } else {
        keepAlive = keepAlive && requestEnded;
        fail(HttpResponseStatus.BAD_GATEWAY, "Tunnel client gone",
            "The grok client serving this tunnel went away before answering (" + status.getCode() + ").");
      }
    });
  }

  private void handleFrame(ClientFrame frame) {
    if (done) {
      return;
    }
    if (raw) {
      if (frame.hasData()) {
        ByteBuf buf = EdgeFrames.bytes(frame.getData().getBytes());
        responseBodyBytes += buf.readableBytes();
        relay.onTunnelData(buf, frame.getData().getEndOfBody()); // on this loop: runs inline
      } else {
        abortConnection(); // nothing but raw bytes may follow a 101
      }
      return;
    }
    switch (frame.getKindCase()) {
      case RESPONSE_HEAD -> onResponseHead(frame.getResponseHead());
      case DATA -> onResponseData(frame.getData());
      case LOCAL_FAILURE -> onLocalFailure(frame.getLocalFailure());
      default -> abortConnection();
    }
  }

  private void onResponseHead(ResponseHead head) {
    if (responseStarted) {
      abortConnection();
      return;
    }
    cancelTimeout();
    responseStarted = true;
    this.status = head.getStatus();
    DefaultHttpResponse response = EdgeFrames.responseOf(head);
    int code = head.getStatus();
    if (code == 101) {
      switchProtocols(response, head);
      return;
    }
    HttpHeaders out = response.headers();
    boolean hasLength = out.contains(HttpHeaderNames.CONTENT_LENGTH);
    boolean noBody = isHead || code < 200 || code == 204 || code == 304;
    // The first body bytes may travel inside the head (Welcome.head_with_body); never for a bodiless response.
    ByteBuf inline = noBody || head.getBody().isEmpty() ? null : EdgeFrames.bytes(head.getBody());
    if (!noBody && !hasLength) {
      if (head.getEndOfBody()) {
        out.set(HttpHeaderNames.CONTENT_LENGTH, inline == null ? 0 : inline.readableBytes());
      } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        keepAlive = false; // HTTP/1.0 without a length: the end of the body is the end of the connection
      }
    }
    if (!requestEnded) {
      keepAlive = false; // the visitor is still sending a body nobody will read
    }
    if (!keepAlive) {
      out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().isKeepAliveDefault()) {
      out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    if (inline != null) {
      responseBodyBytes += inline.readableBytes();
    }
    ctx.write(response);
    if (head.getEndOfBody()) {
      ctx.writeAndFlush(inline == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(inline));
      responseEnded = true;
      maybeFinish();
    } else {
      if (inline != null) {
        ctx.write(new DefaultHttpContent(inline));
      }
      ctx.flush();
      requestFrames();
    }
  }

  /** The local service switched protocols: relay its 101 as it is, then raw bytes both ways. */
  private void switchProtocols(DefaultHttpResponse response, ResponseHead head) {
    if (!upgrade || head.getEndOfBody()) {
      abortConnection(); // a 101 to a request that asked for none: nothing sensible can follow
      return;
    }
    ctx.write(response);
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    EdgeUpgrade.switchToRaw(ctx);
    raw = true;
    relay = new RawRelay(new RawSide(), "exchange " + id);
    connection.handOverTo(relay); // bytes the visitor sent behind its request, and its FIN, go first
  }

  private void onResponseData(Data data) {
    if (!responseStarted) {
      abortConnection();
      return;
    }
    ByteBuf buf = EdgeFrames.bytes(data.getBytes());
    responseBodyBytes += buf.readableBytes();
    if (data.getEndOfBody()) {
      ctx.writeAndFlush(new DefaultLastHttpContent(buf));
      responseEnded = true;
      maybeFinish();
    } else {
      ctx.writeAndFlush(new DefaultHttpContent(buf));
      requestFrames();
    }
  }

  private void onLocalFailure(LocalFailure failure) {
    if (responseStarted) {
      abortConnection();
      return;
    }
    String what = switch (failure.getKind()) {
      case REFUSED -> "The local service refused the connection or could not be reached";
      case RESET -> "The local service closed the connection before answering";
      case PROTOCOL -> "The local service did not answer with valid HTTP";
      default -> "The local service failed";
    };
    if (!requestEnded) {
      keepAlive = false;
    }
    error = ErrorKind.LOCAL_REFUSED;
    fail(HttpResponseStatus.BAD_GATEWAY, "Local service unavailable", what + ": " + failure.getMessage());
  }

  /**
   * Keeps up to {@link Limits#RESPONSE_PREFETCH_FRAMES} response frames requested while the visitor's channel is
   * writable; when it is not, {@link #onEdgeWritable()} resumes.
   */
  private void requestFrames() {
    if (stream != null && ctx.channel().isWritable()) {
      stream.requestUpTo(Limits.RESPONSE_PREFETCH_FRAMES);
    }
  }

  // ---- endings ----

  private void maybeFinish() {
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
  private void fail(HttpResponseStatus status, String title, String detail) {
    if (!requestEnded) {
      keepAlive = false;
    }
    this.status = status.code();
    error = error != null ? error : ErrorKind.ofStatus(status.code());
    var page = ErrorPages.render(ctx.alloc(), status, title, detail, json, isHead);
    page.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    if (challenge != null) {
      page.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
    }
    if (retryAfterSeconds > 0) {
      page.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
    ctx.writeAndFlush(page);
    // after a timeout the client may still answer later: never reuse that stream
    boolean reusable = requestEnded && status != HttpResponseStatus.GATEWAY_TIMEOUT
        && status.code() != 503;
    finish(reusable, keepAlive);
  }

  private void abortConnection() {
    finish(false, false);
    if (relay != null) {
      relay.onTunnelClosed("exchange " + id + " aborted"); // the relay's reset rule
    } else {
      ctx.close();
    }
  }

  private void finish(boolean reuseStream, boolean keepConnection) {
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
    connection.exchangeDone(this, keepConnection);
  }

  /** The one point where every exchange ends, whichever way. */
  private void ended() {
    edge.inFlight.decrementAndGet();
    edge.observer.exchangeEnded(tunnel, request.method().name(), request.uri(), status, error, requestBodyBytes,
        responseBodyBytes, System.nanoTime() - startNanos);
  }

  /** The stream as the relay sees it after a 101; called on our loop. */
  private final class RawSide implements RelayTunnel {
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

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
