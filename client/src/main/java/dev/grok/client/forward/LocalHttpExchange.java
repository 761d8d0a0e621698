package dev.grok.client.forward;

import dev.grok.common.compress.CompressibleBody;
import dev.grok.common.relay.RawRelay;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One exchange between a tunnel stream and the local service. Everything happens on one event loop: the tunnel
 * stream's callbacks arrive there and the local connection lives there.
 *
 * <p>Backpressure: a request body frame is asked from the tunnel only after the previous one was written to a
 * writable local channel (otherwise when the channel becomes writable again); the local channel reads (autoRead:
 * a keep-alive connection is read between exchanges too, to see its close) only while the tunnel stream is ready,
 * and the stream's onReady turns reading back on.
 *
 * <p>The exchange is over when the response end was sent and the request end received, or after a LocalFailure
 * (the tunnel stream then drops what is left of the request body). A connection that served a complete exchange
 * with keep-alive returns to its pool; any other is closed.
 *
 * <p>Upgrades: a request head with {@code upgrade} goes out with {@code Connection: Upgrade}. When the local
 * service answers 101, the head is relayed and the connection goes to a {@link RawRelay} ({@link LocalUpgrade}
 * removes the codec): request and response directions then each carry Data frames until their own end_of_body (a
 * half-close), under the relay's rules. An upgraded connection is never pooled.
 */
public final class LocalHttpExchange extends LocalHttpExchangeState implements TunnelExchange {
  LocalHttpExchange(LocalHttpForwarder forwarder, LocalConnectionPool pool, RequestHead head, TunnelSink tunnel) {
    super(forwarder, pool, head, tunnel);
  }

  void start(RequestHead head, HostRule hostRule) {
    try {
      request = LocalRequests.build(head, hostRule);
    } catch (IllegalArgumentException e) {
      failBeforeHead(LocalFailure.Kind.PROTOCOL, "invalid request: " + e.getMessage());
      return;
    }
    observer.onRequestHead(request);
    if (requestEnded) {
      observer.onRequestEnd();
    }
    LocalConnectionHandler idle = pool.pollIdle();
    if (idle != null) {
      attach(idle, true);
    } else {
      connect();
    }
  }

  // ---- tunnel side (called by the tunnel stream on our loop) ----

  /** A request body frame (in RAW: the visitor's raw bytes). */
  @Override
  public void onTunnelData(ByteBuf buf, boolean end) {
    // buf is ours (gRPC's receive buffers on the zero-copy path): the write to the local connection releases it once
    // written; every other path releases it here.
    if (state == State.DONE) {
      buf.release();
      return;
    }
    if (state == State.RAW) {
      observer.onRequestBody(buf);
      relay.onTunnelData(buf, end); // on our loop: runs inline
      return;
    }
    if (requestEnded || state == State.CONNECTING) {
      buf.release();
      // Never asked for: a broken peer. Cancelling also frees what gRPC holds of the frames we will never read.
      abort("request body frame after the end of the request body or before its head was written");
      return;
    }
    requestEnded = end;
    if (local == null) {
      buf.release();
      // The response is already complete and its connection closed: the rest of the body has nowhere to go.
      if (end) {
        maybeFinish();
      } else {
        tunnel.requestNext();
      }
      return;
    }
    observer.onRequestBody(buf);
    Channel ch = local.channel();
    if (end) {
      observer.onRequestEnd();
      ch.writeAndFlush(new DefaultLastHttpContent(buf), ch.voidPromise());
      requestWritten = true;
      maybeFinish();
    } else {
      if (buf.isReadable()) {
        ch.writeAndFlush(new DefaultHttpContent(buf), ch.voidPromise());
      } else {
        buf.release();
      }
      wantBody();
    }
  }

  /** The tunnel stream can take more: resume reading the response. */
  @Override
  public void onTunnelReady() {
    if (state == State.RAW) {
      relay.onTunnelReady();
    } else if (state == State.RESPONDING && local != null) {
      local.channel().config().setAutoRead(true);
    }
  }

  /** The tunnel stream ended (cancelled by the server, or failed): drop the local side. */
  @Override
  public void onTunnelClosed() {
    if (state == State.DONE) {
      return;
    }
    if (state == State.RAW) {
      relay.onTunnelClosed("the tunnel stream ended"); // the relay's reset rule
    }
    state = State.DONE;
    closeLocal();
    observer.onEnd("the tunnel stream ended");
  }

  // ---- local side (called by LocalConnectionHandler) ----

  /** A decoded response object; this method owns {@code msg} and releases it. */
  void onLocalObject(Object msg) {
    try {
      if (handOver != null && msg instanceof ByteBuf bytes) {
        handOver.addComponent(true, bytes.retain()); // bytes behind the 101, freed by the codec's removal
        return;
      }
      if (state != State.WAITING && state != State.RESPONDING && state != State.SWITCHING) {
        return;
      }
      responseStarted = true;
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
      if (msg instanceof HttpContent c && (state == State.WAITING || state == State.RESPONDING
          || state == State.SWITCHING)) {
        onResponseContent(c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The local read that delivered objects is over: a head still held back goes alone. */
  void onLocalReadComplete() {
    if (heldHead != null && state == State.RESPONDING) {
      tunnel.send(TunnelResponses.head(heldHead));
      heldHead = null;
    }
  }

  void onLocalWritable() {
    if (awaitingWritable && (state == State.WAITING || state == State.RESPONDING) && local != null
        && local.channel().isWritable()) {
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
    state = State.WAITING;
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
      if (local != h || state != State.WAITING && state != State.RESPONDING) {
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
    if (state != State.WAITING) {
      localBroken(LocalFailure.Kind.PROTOCOL, "second response head from " + forwarder.authority());
    } else if (code == 101) {
      if (!upgradeRequested) {
        localBroken(LocalFailure.Kind.PROTOCOL, "101 Switching Protocols from " + forwarder.authority()
            + " to a request that asked for no upgrade");
        return;
      }
      state = State.SWITCHING;
      keepAlive = false; // an upgraded connection never goes back to the pool
      handOver = local.channel().alloc().compositeBuffer();
      tunnel.send(TunnelResponses.switchingProtocols(r));
    } else if (code >= 100 && code < 200) {
      skippingInterim = true; // 100 Continue and friends: the visitor only gets the final response
    } else {
      keepAlive = HttpUtil.isKeepAlive(r);
      headEndsBody = headRequest || code == 204 || code == 304
          || (HttpUtil.getContentLength(r, -1L) == 0L && !HttpUtil.isTransferEncodingChunked(r));
      state = State.RESPONDING;
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
    if (state == State.SWITCHING) {
      // The 101's end (empty: the decoder emits it with the head). A server that sent a body with its 101 anyway
      // (the old Hixie-76 handshake) already speaks the new protocol: those bytes are raw too.
      if (c.content().isReadable()) {
        handOver.addComponent(true, c.content().retain());
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
    if (state != State.RESPONDING) {
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
   * Hands the connection to a {@link RawRelay}. Removing the HTTP codec passes the bytes the local service sent
   * right behind its 101 (a greeting), re-entrantly through {@link #onLocalObject}, into {@link #handOver} before
   * it returns; the relay sends them first, so no byte is lost.
   */
  private void switchToRaw() {
    LocalConnectionHandler h = local;
    Channel ch = h.channel();
    LocalUpgrade.switchToRaw(ch);
    ByteBuf queued = handOver;
    handOver = null;
    h.detach();
    local = null;
    state = State.RAW;
    requestEnded = false; // the visitor's raw direction starts now; it ends with its half-close
    requestWritten = false;
    relay = new RawRelay(new RawSide(), "exchange " + exchangeId);
    ch.pipeline().replace(h, "relay", relay);
    relay.start(queued, false);
  }

  private void responseEnd() {
    state = State.DRAINING;
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

  /** The local side failed: LocalFailure before a response head (or one retry), an abort after it. */
  private void localBroken(LocalFailure.Kind kind, String message) {
    if (state == State.CONNECTING || state == State.WAITING) {
      if (reused && !retried && !bodyRequested && !responseStarted) {
        log.debug("exchange {}: pooled connection was stale ({}), retrying on a new one", exchangeId, message);
        retried = true;
        reused = false;
        closeLocal();
        connect();
      } else {
        failBeforeHead(kind, message);
      }
    } else if (state == State.RESPONDING || state == State.SWITCHING) {
      abort("local service failed mid-response: " + message);
    }
    // DRAINING: the response is complete, the connection was let go; RAW: the relay owns the connection.
  }
}
