package dev.grok.server.registry;

/**
 * A live public endpoint: {@code name} routes to tunnel {@code tunnelId} of {@code owner}'s session.
 *
 * @param name the subdomain, lower case
 * @param tunnelId the id the client chose for it within its session
 * @param user the owning user (takeover and limits are per user)
 * @param owner the session that serves it
 * @param basicAuth what visitors must send, null for an open tunnel
 */
public record Tunnel(String name, int tunnelId, String user, TunnelOwner owner, BasicAuth basicAuth) {

  /** An open tunnel (no basic auth). */
  public Tunnel(String name, int tunnelId, String user, TunnelOwner owner) {
    this(name, tunnelId, user, owner, null);
  }

  /** Whether a request with this {@code Authorization} value (null when absent) may reach the tunnel. */
  public boolean admits(String authorization) {
    return basicAuth == null || basicAuth.admits(authorization);
  }
}
