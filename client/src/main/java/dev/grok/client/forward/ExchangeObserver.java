package dev.grok.client.forward;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Watches one exchange between the tunnel and the local service (the request inspector and the client metrics do).
 * Every method is called on the exchange's event loop, on the hot path: an implementation returns at once, never
 * blocks, never retains or changes the objects it is shown (a body chunk's readable bytes may be copied, up to a
 * bound, with {@code getBytes}; the reader index must stay where it is). Every method defaults to doing nothing.
 */
public interface ExchangeObserver {
  /** Observes nothing. */
  ExchangeObserver NONE = new ExchangeObserver() {};

  /** Makes the observer of each new exchange. */
  @FunctionalInterface
  interface Factory {
    /** No observation at all. */
    Factory NONE = exchangeId -> ExchangeObserver.NONE;

    /** Called on the exchange's loop when it starts; {@code exchangeId} is the server's id (negative: a replay). */
    ExchangeObserver open(long exchangeId);
  }

  /**
   * A TCP exchange began: a visitor connected from {@code remoteAddress:remotePort} (as the server saw it). A TCP
   * exchange has no heads: its bytes go by as request body (visitor to local service) and response body chunks.
   */
  default void onConnectionOpened(String remoteAddress, int remotePort) {}

  /** The request head as the local service receives it (after the Host rule, with our framing headers). */
  default void onRequestHead(HttpRequest request) {}

  /** A new local connection was made for this exchange after {@code connectNanos} (not called for a pooled one). */
  default void onLocalConnected(long connectNanos) {}

  /** A request body chunk, before it is written to the local service. */
  default void onRequestBody(ByteBuf chunk) {}

  /**
   * The request body ended (or there was none): what {@link #onRequestBody} showed is the whole body. Not called for
   * a request that never arrived whole (the exchange failed or was cut first), nor for TCP exchanges.
   */
  default void onRequestEnd() {}

  /** The final response head (interim 1xx responses are not shown). */
  default void onResponseHead(HttpResponse response) {}

  /** A response body chunk, before it is sent to the tunnel. */
  default void onResponseBody(ByteBuf chunk) {}

  /** The exchange is over: {@code failure} is null when it completed, else what went wrong. Called once. */
  default void onEnd(String failure) {}
}
