package dev.grok.client.forward;

import dev.grok.common.relay.RawRelay;
import dev.grok.common.relay.RelayTunnel;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one {@link LocalHttpExchange} and the ways it ends: clean ({@link #finish}, the connection back to
 * its pool when it may carry another request), aborted on both sides ({@link #abort}), or answered with a
 * LocalFailure ({@link #failBeforeHead}); and the tunnel stream as the raw relay sees it after a 101
 * ({@link RawSide}). Split from the exchange only for size: one object per exchange, owned by its event loop like
 * it; fields are package-private for the exchange, which alone drives them.
 */
abstract sealed class LocalHttpExchangeState permits LocalHttpExchange {
  static final Logger log = LoggerFactory.getLogger(LocalHttpExchange.class);

  /**
   * Lifecycle, in order (an exchange may skip ahead to DONE from any state):
   *
   * <ul>
   *   <li>CONNECTING: waiting for a local connection (pooled or new); nothing was written to it yet.
   *   <li>WAITING: the request head was written; no final response head yet (1xx interim ones are skipped). A
   *       failure here answers LocalFailure, or retries once on a fresh connection when a pooled one was stale.
   *   <li>RESPONDING: the final response head went to the tunnel; its body follows. A failure now aborts the stream.
   *   <li>DRAINING: the response is complete and the request body is not: the rest of it is read from the tunnel
   *       (and dropped when the local connection is gone) so that the stream ends clean.
   *   <li>SWITCHING: a 101 went to the tunnel; the HTTP codec goes when the 101's (empty) end has been decoded.
   *   <li>RAW: a {@link RawRelay} has the connection: raw bytes both ways until each direction's end.
   *   <li>DONE: over; late events are ignored.
   * </ul>
   */
  enum State { CONNECTING, WAITING, RESPONDING, DRAINING, SWITCHING, RAW, DONE }

  final LocalHttpForwarder forwarder;
  final LocalConnectionPool pool;
  final TunnelSink tunnel;
  final long exchangeId;
  final boolean headRequest;
  /** The visitor asked to switch protocols. */
  final boolean upgradeRequested;
  /** Sees the exchange go by (the inspector, the metrics); {@link ExchangeObserver#NONE} when nobody watches. */
  final ExchangeObserver observer;

  // All fields below are owned by pool.loop().
  State state = State.CONNECTING;
  /** The request head for the local service; null only when the tunnel's head was invalid. */
  HttpRequest request;
  /** The connection in use; null while connecting, once the exchange let go of it, and in RAW (the relay has it). */
  LocalConnectionHandler local;
  /** The connection came from the idle pool: a failure before any response may be a stale keep-alive. */
  boolean reused;
  /** A failed reused connection was already replaced once. */
  boolean retried;
  /** The end of the request body (in RAW: of the visitor's direction) arrived from the tunnel. */
  boolean requestEnded;
  /** The end of the request body was written to the local connection. */
  boolean requestWritten;
  /** A request body frame was asked for: the request can no longer be replayed on another connection. */
  boolean bodyRequested;
  /** A body frame is wanted as soon as the local channel is writable again. */
  boolean awaitingWritable;
  /** Something arrived from the local service for this request. */
  boolean responseStarted;
  /**
   * A response head held back until the end of the local read that brought it: the first body bytes usually
   * come in the same read and then travel inside the head (one message instead of two). Null otherwise.
   */
  ResponseHead.Builder heldHead;
  /** The head said end_of_body: the codec's (empty) LastHttpContent is dropped. */
  boolean headEndsBody;
  /** A 1xx interim response is being skipped up to its LastHttpContent. */
  boolean skippingInterim;
  /** The local service allows another request on this connection. */
  boolean keepAlive;
  /** Bytes the local service sent with or right behind its 101, for the relay; non-null only in SWITCHING. */
  CompositeByteBuf handOver;
  /** Relays the upgraded connection; non-null only in RAW. */
  RawRelay relay;

  LocalHttpExchangeState(LocalHttpForwarder forwarder, LocalConnectionPool pool, RequestHead head, TunnelSink tunnel) {
    this.forwarder = forwarder;
    this.pool = pool;
    this.tunnel = tunnel;
    this.exchangeId = head.getExchangeId();
    this.headRequest = "HEAD".equalsIgnoreCase(head.getMethod());
    this.requestEnded = head.getEndOfBody();
    this.upgradeRequested = head.getUpgrade();
    this.observer = forwarder.observers().open(exchangeId);
  }

  void maybeFinish() {
    if (state == State.DRAINING && requestEnded) {
      finish();
    }
  }

  void finish() {
    state = State.DONE;
    LocalConnectionHandler h = local;
    local = null;
    if (h != null) {
      h.detach();
      if (keepAlive && requestWritten && h.channel().isActive()) {
        pool.release(h);
      } else {
        h.channel().close();
      }
    }
    observer.onEnd(null);
    tunnel.exchangeDone();
  }

  /** Ends the exchange on both sides: the local connection is closed and the tunnel stream cancelled. */
  void abort(String reason) {
    log.debug("exchange {}: aborted: {}", exchangeId, reason);
    state = State.DONE;
    closeLocal();
    observer.onEnd(reason);
    tunnel.abort(reason);
  }

  void failBeforeHead(LocalFailure.Kind kind, String message) {
    log.debug("exchange {}: {} {}", exchangeId, kind, message);
    state = State.DONE;
    closeLocal();
    observer.onEnd(kind + ": " + message);
    tunnel.send(TunnelResponses.failure(kind, message));
    tunnel.exchangeDone();
  }

  void closeLocal() {
    if (handOver != null) {
      handOver.release();
      handOver = null;
    }
    LocalConnectionHandler h = local;
    local = null;
    if (h != null) {
      h.detach();
      h.channel().close();
    }
  }

  /** The tunnel stream as the relay sees it after a 101; called on our loop. */
  final class RawSide implements RelayTunnel {
    @Override
    public void send(ByteBuf bytes, boolean end) {
      tunnel.send(TunnelResponses.data(bytes, end));
    }

    @Override
    public boolean isReady() {
      return tunnel.isReady();
    }

    @Override
    public void request(int frames) {
      tunnel.requestNext(); // the client's stream keeps at most one server frame outstanding
    }

    @Override
    public void abort(String reason) {
      if (state != State.DONE) {
        log.debug("exchange {}: aborted: {}", exchangeId, reason);
        state = State.DONE;
        observer.onEnd(reason);
        tunnel.abort(reason);
      }
    }

    @Override
    public void done() {
      if (state != State.DONE) {
        state = State.DONE;
        observer.onEnd(null);
        tunnel.exchangeDone();
      }
    }
  }
}
