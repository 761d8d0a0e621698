package dev.grok.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what the server refused to serve, by why: {@code grok_edge_rejected_total{reason}} for the public edge
 * (HTTP/2 floods and malformed streams, rate limits, ...) and {@code grok_tunnel_port_rejected_total{reason}} for
 * the tunnel port (authentication deadline, throttled token guesses, greedy stream openers). A reason is a fixed
 * word chosen in code, never a value from a request, so the label stays bounded. Thread-safe.
 */
public final class Rejections {
  /** Counts into a registry of its own: for edges and tests that publish no metrics. */
  public static final Rejections NONE = new Rejections(new SimpleMeterRegistry());

  private final MeterRegistry registry;
  /** Counters by reason, resolved once each (registration looks the meter up by id every time). */
  private final ConcurrentHashMap<String, Counter> edge = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> tunnelPort = new ConcurrentHashMap<>();

  public Rejections(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One more visitor connection, stream or request refused by the edge for {@code reason}. */
  public void edge(String reason) {
    edge.computeIfAbsent(reason, r -> Counter.builder("grok.edge.rejected")
        .description("Visitor connections, streams or requests the public edge refused, by why")
        .tag("reason", r).register(registry)).increment();
  }

  /** One more connection, call or stream refused by the tunnel port for {@code reason}. */
  public void tunnelPort(String reason) {
    tunnelPort.computeIfAbsent(reason, r -> Counter.builder("grok.tunnel.port.rejected")
        .description("Connections, calls or streams the tunnel port refused or closed, by why")
        .tag("reason", r).register(registry)).increment();
  }

  /** The count so far (tests). */
  public double edgeCount(String reason) {
    Counter c = edge.get(reason);
    return c == null ? 0 : c.count();
  }

  /** The count so far (tests). */
  public double tunnelPortCount(String reason) {
    Counter c = tunnelPort.get(reason);
    return c == null ? 0 : c.count();
  }
}
