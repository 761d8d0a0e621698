package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import dev.grok.common.compress.CompressibleBody;
import dev.grok.common.relay.RawRelay;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.server.registry.BasicAuth;
import dev.grok.server.metrics.ErrorKind;
import dev.grok.server.registry.Tunnel;
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
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
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
final class EdgeHttpExchange extends EdgeHttpExchangeState {
  EdgeHttpExchange(EdgeContext edge, EdgeHttpHandler connection, ChannelHandlerContext ctx, HttpRequest request,
      long id) {
    super(edge, connection, ctx, request, id);
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
    if (stream == null) {
      // Still in line for a stream: the local service never saw this request. The client holds as many streams as
      // it may (busy exchanges and held WebSockets), or it is too slow to open more: not a local-service timeout.
      streams.cancelWait(this);
      fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "Tunnel busy",
          "The grok client serving '" + tunnel.name() + "' had no free stream for this request within "
              + edge.responseTimeoutMillis / 1000 + " s: it carries as many exchanges and WebSockets at once as it"
              + " can. The request did not reach the local service; try again later.");
      return;
    }
    fail(HttpResponseStatus.GATEWAY_TIMEOUT, "Local service timed out",
        "The local service sent no response within " + edge.responseTimeoutMillis / 1000 + " s.");
  }

  // ---- tunnel side (gRPC thread -> event loop) ----

  @Override
  public void onTunnelFrame(ClientFrame frame, ByteBuf data) {
    EventLoop loop = loop();
    if (loop.inEventLoop()) {
      handleFrame(frame, data); // the stream's connection is served by this loop (the usual case): no task hop
    } else {
      loop.execute(() -> handleFrame(frame, data));
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

  /** {@code data}: a Data frame's bytes, owned here (released or passed on); null for other frames. */
  private void handleFrame(ClientFrame frame, ByteBuf data) {
    if (done) {
      if (data != null) {
        data.release();
      }
      return;
    }
    if (raw) {
      if (data != null) {
        responseBodyBytes += data.readableBytes();
        relay.onTunnelData(data, frame.getData().getEndOfBody()); // on this loop: runs inline
      } else {
        abortConnection(); // nothing but raw bytes may follow a 101
      }
      return;
    }
    switch (frame.getKindCase()) {
      case RESPONSE_HEAD -> onResponseHead(frame.getResponseHead());
      case DATA -> onResponseData(frame.getData(), data);
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
    boolean noBody = EdgeResponses.isBodiless(isHead, code);
    if (!requestEnded) {
      keepAlive = false; // the visitor is still sending a body nobody will read
    }
    responseBodyBytes += EdgeResponses.inlineBytes(head, noBody);
    keepAlive = EdgeResponses.writeHead(ctx, request, head, response, noBody, keepAlive);
    if (head.getEndOfBody()) {
      responseEnded = true;
      maybeFinish();
    } else {
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

  private void onResponseData(Data data, ByteBuf buf) {
    if (!responseStarted) {
      buf.release();
      abortConnection();
      return;
    }
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
    if (!requestEnded) {
      keepAlive = false;
    }
    error = ErrorKind.LOCAL_REFUSED;
    fail(HttpResponseStatus.BAD_GATEWAY, "Local service unavailable",
        EdgeResponses.describe(failure) + ": " + failure.getMessage());
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
}
