package dev.grok.server.edge.guard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the edge refused and cut, in the server's registry: {@code grok_edge_rejected_total{reason}} (one series
 * per refusal reason; the HTTP/2 and rate-limit code count theirs under the same name and tag key), {@code
 * grok_edge_connections} (visitor connections open, both edge listeners) and {@code
 * grok_edge_timeouts_total{kind}} (connections closed by the header, body or idle deadline). Thread-safe.
 */
public final class EdgeGuardMetrics {
  /** For tests and embedding without a registry: counts into a private one. */
  public static final EdgeGuardMetrics NONE = new EdgeGuardMetrics(new SimpleMeterRegistry());

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> timeouts = new ConcurrentHashMap<>();
  /** Visitor connections open on every edge listener of this server. */
  private final AtomicInteger open = new AtomicInteger();

  public EdgeGuardMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("grok.edge.connections", open, AtomicInteger::get)
        .description("Visitor connections open on the public edge (HTTP and HTTPS)").register(registry);
  }

  /** One request or connection refused for {@code reason} ({@code [a-z_]+}). */
  public void rejected(String reason) {
    rejected.computeIfAbsent(reason, r -> Counter.builder("grok.edge.rejected")
        .description("Visitor requests and connections the edge refused, by reason")
        .tag("reason", r).register(registry)).increment();
  }

  /** One connection closed by the deadline {@code kind}: {@code header}, {@code body} or {@code idle}. */
  public void timedOut(String kind) {
    timeouts.computeIfAbsent(kind, k -> Counter.builder("grok.edge.timeouts")
        .description("Visitor connections closed by a deadline, by kind")
        .tag("kind", k).register(registry)).increment();
  }

  void connectionOpened() {
    open.incrementAndGet();
  }

  void connectionClosed() {
    open.decrementAndGet();
  }

  /** Connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** Refusals counted so far for {@code reason} (tests). */
  public double rejectedCount(String reason) {
    Counter c = rejected.get(reason);
    return c == null ? 0 : c.count();
  }

  /** Closes counted so far for the deadline {@code kind} (tests). */
  public double timeoutCount(String kind) {
    Counter c = timeouts.get(kind);
    return c == null ? 0 : c.count();
  }
}
