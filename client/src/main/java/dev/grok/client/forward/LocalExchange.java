package dev.grok.client.forward;

import com.google.protobuf.ByteString;
import dev.grok.common.compress.CompressibleBody;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange between a tunnel stream and the local service. Everything happens on one event loop: the tunnel
 * stream's callbacks arrive there and the local connection lives there.
 *
 * <p>Backpressure: a request body frame is asked from the tunnel only after the previous one was written to a
 * writable local channel (otherwise when the channel becomes writable again); the local channel reads (autoRead)
 * only while the tunnel stream is ready, and the stream's onReady turns reading back on.
 *
 * <p>The exchange is over when the response end was sent and the request end received, or after a LocalFailure
 * (the tunnel stream then drops what is left of the request body). A connection that served a complete exchange
 * with keep-alive returns to its pool; any other is closed.
 *
 * <p>Upgrades: a request head with {@code upgrade} goes out with {@code Connection: Upgrade}. When the local
 * service answers 101, the head is relayed and the connection switches to raw bytes ({@link LocalUpgrade}):
 * request and response directions then each carry Data frames until their own end_of_body (a half-close), with the
 * same backpressure. An upgraded connection is never pooled.
 */
public final class LocalExchange implements TunnelExchange {
  private static final Logger log = LoggerFactory.getLogger(LocalExchange.class);

  /** Lifecycle. CONNECTING: waiting for a local connection. FORWARDING: the request head was written. */
  enum State { CONNECTING, FORWARDING, DONE }

  private final LocalForwarder forwarder;
  private final LocalConnectionPool pool;
  private final TunnelSink tunnel;
  private final long exchangeId;
  private final boolean headRequest;
  /** The visitor asked to switch protocols. */
  private final boolean upgradeRequested;
  /** Sees the exchange go by (the inspector, the metrics); {@link ExchangeObserver#NONE} when nobody watches. */
  private final ExchangeObserver observer;

  // All fields below are owned by pool.loop().
  private State state = State.CONNECTING;
  /** The request head for the local service; null only when the tunnel's head was invalid. */
  private HttpRequest request;
  /** The connection in use; null while connecting and once the exchange let go of it. */
  private LocalConnectionHandler local;
  /** The connection came from the idle pool: a failure before any response may be a stale keep-alive. */
  private boolean reused;
  /** A failed reused connection was already replaced once. */
  private boolean retried;
  /** The end of the request body arrived from the tunnel. */
  private boolean requestEnded;
  /** The end of the request body was written to the local connection. */
  private boolean requestWritten;
  /** A request body frame was asked for: the request can no longer be replayed on another connection. */
  private boolean bodyRequested;
  /** A body frame is wanted as soon as the local channel is writable again. */
  private boolean awaitingWritable;
  /** Something arrived from the local service for this request. */
  private boolean responseStarted;
  /** A ResponseHead (or a LocalFailure) was sent to the tunnel. */
  private boolean headSent;
  /**
   * A response head held back until the end of the local read that brought it: the first body bytes usually
   * come in the same read and then travel inside the head (one message instead of two). Null otherwise.
   */
  private ResponseHead.Builder heldHead;
  /** The head said end_of_body: the codec's (empty) LastHttpContent is dropped. */
  private boolean headEndsBody;
  /** A 1xx interim response is being skipped up to its LastHttpContent. */
  private boolean skippingInterim;
  /** The response end was sent to the tunnel. */
  private boolean responseEnded;
  /** The local service allows another request on this connection. */
  private boolean keepAlive;
  /** A 101 was relayed; the HTTP codec goes when the 101's (empty) end has been decoded. */
  private boolean switching;
  /** The codec is gone: raw bytes both ways until each direction's end. */
  private boolean raw;

  LocalExchange(LocalForwarder forwarder, LocalConnectionPool pool, RequestHead head, TunnelSink tunnel) {
    this.forwarder = forwarder;
    this.pool = pool;
    this.tunnel = tunnel;
    this.exchangeId = head.getExchangeId();
    this.headRequest = "HEAD".equalsIgnoreCase(head.getMethod());
    this.requestEnded = head.getEndOfBody();
    this.upgradeRequested = head.getUpgrade();
    this.observer = forwarder.observers().open(exchangeId);
  }

  void start(RequestHead head, HostRule hostRule) {
    try {
      request = LocalRequests.build(head, hostRule);
    } catch (IllegalArgumentException e) {
      failBeforeHead(LocalFailure.Kind.PROTOCOL, "invalid request: " + e.getMessage());
      return;
    }
    observer.onRequestHead(request);
    LocalConnectionHandler idle = pool.pollIdle();
    if (idle != null) {
      attach(idle, true);
    } else {
      connect();
    }
  }

  // ---- tunnel side (called by the tunnel stream on our loop) ----

  /** A request body frame. */
  @Override
  public void onTunnelData(Data data) {
    if (state == State.DONE) {
      return;
    }
    if (requestEnded || state == State.CONNECTING) {
      // Never asked for: a broken peer. Cancelling also frees what gRPC holds of the frames we will never read.
      abort("request body frame after the end of the request body or before its head was written");
      return;
    }
    boolean end = data.getEndOfBody();
    requestEnded = end;
    if (local == null) {
      // The response is already complete and its connection closed: the rest of the body has nowhere to go.
      if (end) {
        maybeFinish();
      } else {
        tunnel.requestNext();
      }
      return;
    }
    Channel ch = local.channel();
    ByteString bytes = data.getBytes();
    // The ByteBuf wraps the message's bytes without a copy; it is unpooled, so the encoder's release frees nothing.
    ByteBuf buf = bytes.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes.asReadOnlyByteBuffer());
    observer.onRequestBody(buf);
    if (raw) {
      onRawRequestData(ch, buf, end);
      return;
    }
    if (end) {
      ch.writeAndFlush(new DefaultLastHttpContent(buf), ch.voidPromise());
      requestWritten = true;
      maybeFinish();
    } else {
      if (buf.isReadable()) {
        ch.writeAndFlush(new DefaultHttpContent(buf), ch.voidPromise());
      }
      wantBody();
    }
  }

  private void onRawRequestData(Channel ch, ByteBuf buf, boolean end) {
    if (!end) {
      if (buf.isReadable()) {
        ch.writeAndFlush(buf, ch.voidPromise());
      }
      wantBody();
      return;
    }
    // The visitor half-closed: so do we, once everything before it is written.
    ch.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        LocalUpgrade.shutdownOutput(f.channel());
      }
    });
    requestWritten = true;
    maybeFinish();
  }

  /** The tunnel stream can take more: resume reading the response. */
  @Override
  public void onTunnelReady() {
    if (state == State.FORWARDING && local != null && headSent && !responseEnded) {
      local.channel().config().setAutoRead(true);
    }
  }

  /** The tunnel stream ended (cancelled by the server, or failed): drop the local side. */
  @Override
  public void onTunnelClosed() {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    closeLocal();
    observer.onEnd("the tunnel stream ended");
  }

  // ---- local side (called by LocalConnectionHandler) ----

  /** A decoded response object; this method owns {@code msg} and releases it. */
  void onLocalObject(Object msg) {
    try {
      if (state != State.FORWARDING) {
        return;
      }
      responseStarted = true;
      if (raw) {
        if (msg instanceof ByteBuf bytes && !responseEnded) {
          sendRawResponse(bytes);
        }
        return;
      }
      if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
        Throwable cause = o.decoderResult().cause();
        localBroken(cause instanceof PrematureChannelClosureException
            ? LocalFailure.Kind.RESET : LocalFailure.Kind.PROTOCOL,
            "invalid HTTP response from " + forwarder.authority() + ": " + cause.getMessage());
        return;
      }
      if (msg instanceof HttpResponse r) {
        onResponseHead(r);
      }
      if (msg instanceof HttpContent c && state == State.FORWARDING) {
        onResponseContent(c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The local read that delivered objects is over: a head still held back goes alone. */
  void onLocalReadComplete() {
    if (heldHead != null && state == State.FORWARDING) {
      tunnel.send(TunnelResponses.head(heldHead));
      heldHead = null;
    }
  }

  /** The local service half-closed an upgraded connection: the end of the response direction. */
  void onLocalInputShutdown() {
    if (state != State.FORWARDING || !raw || responseEnded) {
      return;
    }
    tunnel.send(TunnelResponses.data(Unpooled.EMPTY_BUFFER, true));
    responseEnded = true;
    maybeFinish();
  }

  void onLocalWritable() {
    if (awaitingWritable && state == State.FORWARDING && local != null && local.channel().isWritable()) {
      awaitingWritable = false;
      bodyRequested = true;
      tunnel.requestNext();
    }
  }

  /** The local connection closed ({@code cause} null) or failed. */
  void onLocalClosed(Throwable cause) {
    local = null; // the handler already let go of us
    localBroken(LocalFailure.Kind.RESET, cause == null
        ? "local service " + forwarder.authority() + " closed the connection"
        : "connection to local service " + forwarder.authority() + " failed: " + cause);
  }

  // ---- internals ----

  private void connect() {
    state = State.CONNECTING;
    long connectStart = System.nanoTime();
    pool.connect().addListener(f -> {
      if (!f.isSuccess()) {
        if (state != State.DONE) {
          failBeforeHead(LocalFailure.Kind.REFUSED, forwarder.target().connectFailure(f.cause()));
        }
        return;
      }
      LocalConnectionHandler h = (LocalConnectionHandler) f.getNow();
      observer.onLocalConnected(System.nanoTime() - connectStart);
      if (state == State.DONE) {
        pool.release(h); // the tunnel went away while connecting: keep the fresh connection for later
      } else {
        attach(h, false);
      }
    });
  }

  private void attach(LocalConnectionHandler h, boolean fromPool) {
    state = State.FORWARDING;
    local = h;
    reused = fromPool;
    h.attach(this);
    Channel ch = h.channel();
    ch.config().setAutoRead(true);
    ChannelFuture written;
    if (requestEnded) {
      ch.write(request);
      written = ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      requestWritten = true;
    } else {
      written = ch.writeAndFlush(request);
    }
    written.addListener(f -> {
      if (local != h || state != State.FORWARDING) {
        return;
      }
      if (!f.isSuccess()) {
        localBroken(LocalFailure.Kind.RESET,
            "cannot write to local service " + forwarder.authority() + ": " + f.cause());
      } else if (!requestEnded && !bodyRequested) {
        wantBody();
      }
    });
  }

  private void wantBody() {
    if (local.channel().isWritable()) {
      bodyRequested = true;
      tunnel.requestNext();
    } else {
      awaitingWritable = true;
    }
  }

  private void onResponseHead(HttpResponse r) {
    int code = r.status().code();
    if (headSent) {
      localBroken(LocalFailure.Kind.PROTOCOL, "second response head from " + forwarder.authority());
    } else if (code == 101) {
      if (!upgradeRequested) {
        localBroken(LocalFailure.Kind.PROTOCOL, "101 Switching Protocols from " + forwarder.authority()
            + " to a request that asked for no upgrade");
        return;
      }
      headSent = true;
      keepAlive = false; // an upgraded connection never goes back to the pool
      switching = true;
      tunnel.send(TunnelResponses.switchingProtocols(r));
    } else if (code >= 100 && code < 200) {
      skippingInterim = true; // 100 Continue and friends: the visitor only gets the final response
    } else {
      keepAlive = HttpUtil.isKeepAlive(r);
      headEndsBody = headRequest || code == 204 || code == 304
          || (HttpUtil.getContentLength(r, -1L) == 0L && !HttpUtil.isTransferEncodingChunked(r));
      headSent = true;
      observer.onResponseHead(r);
      tunnel.compressBody(!headEndsBody && CompressibleBody.worthCompressing(r));
      // With end_of_body in the head, the codec's empty LastHttpContent still follows in the same read; it
      // ends the exchange, so the connection is never pooled with that object unread.
      if (!headEndsBody && tunnel.headMayCarryBody()) {
        heldHead = TunnelResponses.headBuilder(r); // sent with the first chunk, or at the end of this read
      } else {
        tunnel.send(TunnelResponses.head(r, headEndsBody));
      }
    }
  }

  private void onResponseContent(HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    if (switching) {
      // The 101's end (empty: the decoder emits it with the head). A server that sent a body with its 101 anyway
      // (the old Hixie-76 handshake) already speaks the new protocol: those bytes are raw too.
      if (c.content().isReadable()) {
        sendRawResponse(c.content());
      }
      if (last) {
        switchToRaw();
      }
      return;
    }
    if (skippingInterim) {
      skippingInterim = !last;
      return;
    }
    if (!headSent) {
      return; // nothing but a head can start a response; the decoder never does this
    }
    if (headEndsBody) {
      if (last) {
        responseEnd();
      }
      return;
    }
    if (heldHead != null) {
      observer.onResponseBody(c.content());
      tunnel.send(TunnelResponses.headWithBody(heldHead, c.content(), last));
      heldHead = null;
    } else if (c.content().isReadable() || last) {
      observer.onResponseBody(c.content());
      tunnel.send(TunnelResponses.data(c.content(), last));
    }
    if (last) {
      responseEnd();
    } else if (!tunnel.isReady()) {
      local.channel().config().setAutoRead(false); // onTunnelReady turns it back on
    }
  }

  /**
   * Drops the HTTP codec. Bytes the local service sent right behind its 101 (a greeting) are in the decoder's
   * buffer: removing it hands them over, re-entrantly, through {@link #onLocalObject} before this returns, so the
   * raw state is set first.
   */
  private void switchToRaw() {
    switching = false;
    raw = true;
    requestEnded = false; // the visitor's raw direction starts now; it ends with its half-close
    requestWritten = false;
    Channel ch = local.channel();
    LocalUpgrade.switchToRaw(ch);
    if (state == State.FORWARDING && local != null && !requestEnded) {
      wantBody();
    }
  }

  /** Raw response bytes; the caller keeps ownership of {@code bytes}. */
  private void sendRawResponse(ByteBuf bytes) {
    LocalUpgrade.sendRaw(tunnel, bytes);
    if (local != null && !tunnel.isReady()) {
      local.channel().config().setAutoRead(false); // onTunnelReady turns it back on
    }
  }

  private void responseEnd() {
    responseEnded = true;
    if (!requestWritten) {
      // The local service answered before the whole request body: this connection cannot carry another request.
      // The rest of the body is still read from the tunnel (and dropped) so the stream ends clean.
      keepAlive = false;
      closeLocal();
      if (!requestEnded) {
        awaitingWritable = false;
        tunnel.requestNext();
      }
    }
    maybeFinish();
  }

  private void maybeFinish() {
    if (responseEnded && requestEnded && state != State.DONE) {
      finish();
    }
  }

  private void finish() {
    state = State.DONE;
    LocalConnectionHandler h = local;
    local = null;
    if (h != null) {
      h.detach();
      if (keepAlive && requestWritten && h.channel().isActive()) {
        pool.release(h);
      } else if (raw) {
        // after the last raw bytes and the half-close have gone out
        h.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else {
        h.channel().close();
      }
    }
    observer.onEnd(null);
    tunnel.exchangeDone();
  }

  /** The local side failed: LocalFailure before a response head (or one retry), an abort after it. */
  private void localBroken(LocalFailure.Kind kind, String message) {
    if (state == State.DONE) {
      return;
    }
    if (!headSent) {
      if (reused && !retried && !bodyRequested && !responseStarted) {
        log.debug("exchange {}: pooled connection was stale ({}), retrying on a new one", exchangeId, message);
        retried = true;
        reused = false;
        closeLocal();
        connect();
      } else {
        failBeforeHead(kind, message);
      }
    } else if (!responseEnded || raw && !requestWritten) {
      // after an upgrade the visitor's bytes have nowhere to go either
      abort("local service failed mid-response: " + message);
    }
  }

  /** Ends the exchange on both sides: the local connection is closed and the tunnel stream cancelled. */
  private void abort(String reason) {
    log.debug("exchange {}: aborted: {}", exchangeId, reason);
    state = State.DONE;
    closeLocal();
    observer.onEnd(reason);
    tunnel.abort(reason);
  }

  private void failBeforeHead(LocalFailure.Kind kind, String message) {
    log.debug("exchange {}: {} {}", exchangeId, kind, message);
    state = State.DONE;
    headSent = true;
    closeLocal();
    observer.onEnd(kind + ": " + message);
    tunnel.send(TunnelResponses.failure(kind, message));
    tunnel.exchangeDone();
  }

  private void closeLocal() {
    LocalConnectionHandler h = local;
    local = null;
    if (h != null) {
      h.detach();
      h.channel().close();
    }
  }
}
