package dev.grok.server.registry;

import dev.grok.common.compress.TunnelCompression;
import dev.grok.server.stream.StreamPool;

/**
 * A live public endpoint: {@code name} (HTTP) or public {@code port} (TCP) routes to tunnel {@code tunnelId} of
 * {@code owner}'s session.
 *
 * @param name the subdomain, lower case; {@code tcp-PORT} for a TCP tunnel
 * @param tunnelId the id the client chose for it within its session
 * @param user the owning user (takeover and limits are per user)
 * @param owner the session that serves it
 * @param port the public port of a TCP tunnel, 0 for an HTTP tunnel
 * @param basicAuth what visitors of an HTTP tunnel must send, null for an open tunnel
 * @param compression how the edge compresses the request bodies it sends on the tunnel's exchanges (what the client
 *     asked for in OpenTunnel); {@link TunnelCompression#NONE} for a TCP tunnel
 * @param traffic its metrics and counters, resolved once at registration; closed when the tunnel ends
 * @param sinceMillis when it went live (epoch millis)
 */
public record Tunnel(String name, int tunnelId, String user, TunnelOwner owner, int port, BasicAuth basicAuth,
    TunnelCompression compression, TunnelTraffic traffic, long sinceMillis) {

  /** An open HTTP tunnel (no basic auth, no compression) that records no traffic. */
  public Tunnel(String name, int tunnelId, String user, TunnelOwner owner) {
    this(name, tunnelId, user, owner, 0, null, TunnelCompression.NONE, TunnelTraffic.NONE,
        System.currentTimeMillis());
  }

  public boolean isTcp() {
    return port != 0;
  }

  /** {@code tcp} or {@code http}, as the dashboard shows it. */
  public String kind() {
    return isTcp() ? "tcp" : "http";
  }

  /** Where an exchange of this tunnel takes its stream: its owner's pool. */
  public StreamPool streams() {
    return owner.streams();
  }

  /** Stops the tunnel for {@code reason} (see {@link TunnelOwner#stopTunnel}); false when it was no longer live. */
  public boolean stop(String reason) {
    return owner.stopTunnel(this, reason);
  }

  /** Whether a request with this {@code Authorization} value (null when absent) may reach the tunnel. */
  public boolean admits(String authorization) {
    return basicAuth == null || basicAuth.admits(authorization);
  }
}
