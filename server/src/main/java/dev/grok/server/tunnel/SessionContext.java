package dev.grok.server.tunnel;

import dev.grok.server.registry.TcpListeners;
import dev.grok.server.registry.TunnelRegistry;

/**
 * What every control session of one server shares: where tunnels are registered and TCP ports bound, how public
 * URLs read, and what each client is told in its Welcome.
 *
 * @param registry names and ports to live tunnels
 * @param tcp binds the public ports of TCP tunnels (the TCP edge)
 * @param publicUrlFormat one {@code %s} for the subdomain, e.g. {@code http://%s.localhost:8080}
 * @param streamConnections connections each client is asked to spread its streams over: the server's event loops
 * @param responseTimeoutMillis the edge's response timeout ({@code --response-timeout}), told to clients in Welcome
 */
public record SessionContext(TunnelRegistry registry, TcpListeners tcp, String publicUrlFormat,
    int streamConnections, long responseTimeoutMillis) {

  public SessionContext {
    if (responseTimeoutMillis <= 0) {
      throw new IllegalArgumentException("responseTimeoutMillis: " + responseTimeoutMillis + " (expected: > 0)");
    }
  }
}
