package dev.grok.server.registry;

import dev.grok.server.stream.StreamPool;

/**
 * Who serves a live {@link Tunnel}: everything the edge and the admin API need from it, so that nothing casts an
 * owner back to a class. Today the one owner is a client's control session ({@code server.tunnel}); a later owner
 * may be a peer node that serves the tunnel's exchanges for a client connected there (docs/architecture.md).
 */
public interface TunnelOwner {
  /** Where each exchange of this owner's tunnels takes its stream; closed once the owner ended. */
  StreamPool streams();

  /** {@code tunnel} no longer routes here (a newer session of the same user took it over); tell the client. */
  void onTunnelEvicted(Tunnel tunnel, String reason);

  /**
   * Stops {@code tunnel} for {@code reason} (an administrator): it stops routing at once and its client is told not
   * to reopen it. Returns false when the tunnel was no longer live here.
   */
  boolean stopTunnel(Tunnel tunnel, String reason);

  /** The id of the token this owner authenticated with (its rate-limit override is looked up by it); null if none. */
  default String tokenId() {
    return null;
  }
}
