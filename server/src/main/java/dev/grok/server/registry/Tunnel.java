package dev.grok.server.registry;

/**
 * A live public endpoint: {@code name} routes to tunnel {@code tunnelId} of {@code owner}'s session.
 *
 * @param name the subdomain, lower case
 * @param tunnelId the id the client chose for it within its session
 * @param user the owning user (takeover and limits are per user)
 * @param owner the session that serves it
 * @param traffic its metrics and counters, resolved once at registration; closed when the tunnel ends
 * @param sinceMillis when it went live (epoch millis)
 */
public record Tunnel(String name, int tunnelId, String user, TunnelOwner owner, TunnelTraffic traffic,
    long sinceMillis) {

  /** A tunnel that records no traffic. */
  public Tunnel(String name, int tunnelId, String user, TunnelOwner owner) {
    this(name, tunnelId, user, owner, TunnelTraffic.NONE, System.currentTimeMillis());
  }
}
