package dev.grok.server.edge.guard;

import dev.grok.server.metrics.Rejections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the edge refused and cut, in the server's registry: {@code grok_edge_rejected_total{reason}} (counted by the
 * server's one {@link Rejections}, which the HTTP/2 and rate-limit code count into too), {@code
 * grok_edge_connections} (visitor connections open, both edge listeners) and {@code
 * grok_edge_timeouts_total{kind}} (connections closed by the header, body or idle deadline). Thread-safe.
 */
public final class EdgeGuardMetrics {
  /** For tests and embedding without a registry: counts into a private one. */
  public static final EdgeGuardMetrics NONE = new EdgeGuardMetrics(new SimpleMeterRegistry());

  private final MeterRegistry registry;
  private final Rejections rejections;
  private final ConcurrentMap<String, Counter> timeouts = new ConcurrentHashMap<>();
  /** Visitor connections open on every edge listener of this server. */
  private final AtomicInteger open = new AtomicInteger();

  /** With refusals counted by a {@link Rejections} of its own on {@code registry} (tests). */
  public EdgeGuardMetrics(MeterRegistry registry) {
    this(registry, new Rejections(registry));
  }

  /** Gauges and deadline counters in {@code registry}; refusals counted by the server's {@code rejections}. */
  public EdgeGuardMetrics(MeterRegistry registry, Rejections rejections) {
    this.registry = registry;
    this.rejections = rejections;
    Gauge.builder("grok.edge.connections", open, AtomicInteger::get)
        .description("Visitor connections open on the public edge (HTTP and HTTPS)").register(registry);
  }

  /** One request or connection refused for {@code reason} ({@code [a-z_]+}). */
  public void rejected(String reason) {
    rejections.edge(reason);
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
    return rejections.edgeCount(reason);
  }

  /** Closes counted so far for the deadline {@code kind} (tests). */
  public double timeoutCount(String kind) {
    Counter c = timeouts.get(kind);
    return c == null ? 0 : c.count();
  }
}
