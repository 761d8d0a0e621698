package dev.grok.server.metrics;

import dev.grok.server.registry.Tunnel;
import java.net.SocketAddress;

/**
 * Told once when an exchange ends, on the exchange's event loop: the single point where the edge hands its
 * figures to metrics and the request log. Implementations must not block and must be cheap (a few counter
 * increments and a non-blocking queue offer).
 */
@FunctionalInterface
public interface ExchangeObserver {
  /** Observes nothing. */
  ExchangeObserver NONE =
      (tunnel, method, uri, status, error, requestBytes, responseBytes, durationNanos, visitor) -> {};

  /**
   * @param tunnel the tunnel the request routed to, null when it routed nowhere
   * @param method the request method as received
   * @param uri path and query as received (the request log only: never a metric label)
   * @param status the status the visitor got, 0 when none was sent
   * @param error why the local service's answer did not reach the visitor, null when it did
   * @param requestBytes body bytes forwarded towards the local service
   * @param responseBytes body bytes written to the visitor
   * @param durationNanos from the request head to the end of the response (or the failure)
   * @param visitor the visitor's socket address (the channel's own object: no formatting here), null when unknown
   */
  void exchangeEnded(Tunnel tunnel, String method, String uri, int status, ErrorKind error, long requestBytes,
      long responseBytes, long durationNanos, SocketAddress visitor);
}
