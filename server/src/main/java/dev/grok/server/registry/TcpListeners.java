package dev.grok.server.registry;

import java.util.concurrent.CompletableFuture;

/**
 * The public ports of TCP tunnels, as an owner opening one sees them: the TCP edge registers a port and binds it,
 * and unbinds it when the tunnel ends. Declared here, below both, so that sessions never depend on the edge.
 */
public interface TcpListeners {
  /**
   * Opens a TCP tunnel of {@code user} on {@code requestedPort} (0: any port). Completes with the registered tunnel
   * once its port is bound, or with a {@link TunnelRegistry.RegistrationException} saying why not.
   */
  CompletableFuture<Tunnel> open(int requestedPort, int tunnelId, String user, TunnelOwner owner);

  /** {@code tunnel} was unregistered: unbind its port unless a newer session of the same user took it over. */
  void release(Tunnel tunnel);

  /** The public URL of a TCP tunnel on {@code port}, e.g. {@code tcp://DOMAIN:PORT}. */
  String publicUrl(int port);
}
