package dev.grok.server.registry;

/**
 * What one live tunnel records about its exchanges, resolved once when the tunnel registers so that the edge
 * records with a few cheap calls and no lookup. The registry closes it when the tunnel ends, which drops the
 * tunnel's labels from the metrics (a tunnel label exists only while the tunnel lives).
 */
public interface TunnelTraffic extends AutoCloseable {
  /** Records nothing: tunnels of a registry without metrics. */
  TunnelTraffic NONE = new TunnelTraffic() {
    @Override
    public void record(String method, int status, long durationNanos, long requestBytes, long responseBytes) {}

    @Override
    public void close() {}
  };

  /** Creates the traffic record of a tunnel that is about to go live. */
  @FunctionalInterface
  interface Factory {
    Factory NONE = (label, user) -> TunnelTraffic.NONE;

    /** {@code label} is the metrics label of the tunnel: its subdomain, or {@code tcp-PORT}. */
    TunnelTraffic open(String label, String user);
  }

  /**
   * One exchange ended: {@code status} is the status the visitor got (0: none, the visitor or the tunnel went away
   * first), the byte counts are body bytes (after an upgrade or on a TCP tunnel: all bytes relayed).
   */
  void record(String method, int status, long durationNanos, long requestBytes, long responseBytes);

  /** Exchanges recorded so far (for the dashboard's rates). */
  default long requests() {
    return 0;
  }

  /** Body bytes from visitors towards the local service so far. */
  default long bytesIn() {
    return 0;
  }

  /** Body bytes from the local service towards visitors so far. */
  default long bytesOut() {
    return 0;
  }

  /** The tunnel ended; idempotent. */
  @Override
  void close();
}
