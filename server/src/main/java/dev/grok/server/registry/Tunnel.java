package dev.grok.server.registry;

/**
 * A live public endpoint: {@code name} (HTTP) or public {@code port} (TCP) routes to tunnel {@code tunnelId} of
 * {@code owner}'s session.
 *
 * @param name the subdomain, lower case; {@code tcp-PORT} for a TCP tunnel
 * @param tunnelId the id the client chose for it within its session
 * @param user the owning user (takeover and limits are per user)
 * @param owner the session that serves it
 * @param port the public port of a TCP tunnel, 0 for an HTTP tunnel
 */
public record Tunnel(String name, int tunnelId, String user, TunnelOwner owner, int port) {
  /** An HTTP tunnel. */
  public Tunnel(String name, int tunnelId, String user, TunnelOwner owner) {
    this(name, tunnelId, user, owner, 0);
  }

  public boolean isTcp() {
    return port != 0;
  }
}
