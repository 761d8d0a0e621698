package dev.grok.server.registry;

/** The side of a session the registry talks to: told when another session of the same user takes a name over. */
public interface TunnelOwner {
  /** {@code tunnel} no longer routes here; tell the client. Called outside the registry's lock. */
  void onTunnelEvicted(Tunnel tunnel, String reason);
}
