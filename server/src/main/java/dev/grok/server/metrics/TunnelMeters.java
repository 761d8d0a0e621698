package dev.grok.server.metrics;

import dev.grok.server.registry.TunnelTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one live tunnel, resolved when it registers: the byte counters at once, each (method, status
 * class) latency timer at its first use (most tunnels see a handful of the 50 combinations). Recording is an
 * array read and a few lock-free adds. {@link #close()} removes every meter, so the tunnel's label disappears
 * from {@code /metrics} when the tunnel ends.
 */
final class TunnelMeters implements TunnelTraffic {
  /** Methods with a label of their own; any other is {@code OTHER} (a visitor chooses the method: bounded). */
  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "OTHER");
  /** Status classes by {@code status / 100}; index 0 is a status outside 1xx-5xx (none sent). */
  static final List<String> STATUS_CLASSES = List.of("none", "1xx", "2xx", "3xx", "4xx", "5xx");

  /** Histogram buckets of the latency: from a cached answer on loopback up to the default response timeout. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final MeterRegistry registry;
  private final String label;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final LongAdder requests = new LongAdder();
  /**
   * Index {@code method * STATUS_CLASSES.size() + statusClass}, filled on first use under {@code this}. Read with
   * a volatile load and no lock: a published timer is seen fully constructed, a miss just takes the lock.
   */
  private final AtomicReferenceArray<Timer> latency =
      new AtomicReferenceArray<>(METHODS.size() * STATUS_CLASSES.size());
  /** Guarded by this: set once; no meter is created after it. */
  private boolean closed;

  TunnelMeters(MeterRegistry registry, String label) {
    this.registry = registry;
    this.label = label;
    this.bytesIn = bytes("in");
    this.bytesOut = bytes("out");
  }

  private Counter bytes(String direction) {
    return Counter.builder("grok.tunnel.bytes")
        .description("Body bytes relayed through a live tunnel (in: towards the local service, out: to visitors)")
        .tag("tunnel", label).tag("direction", direction)
        .register(registry);
  }

  @Override
  public void record(String method, int status, long durationNanos, long requestBytes, long responseBytes) {
    requests.increment();
    if (requestBytes > 0) {
      bytesIn.increment(requestBytes);
    }
    if (responseBytes > 0) {
      bytesOut.increment(responseBytes);
    }
    Timer t = timer(methodIndex(method), status >= 100 && status < 600 ? status / 100 : 0);
    if (t != null) {
      t.record(durationNanos, TimeUnit.NANOSECONDS);
    }
  }

  private Timer timer(int m, int s) {
    int i = m * STATUS_CLASSES.size() + s;
    Timer t = latency.get(i);
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (closed) {
        return null; // an exchange that ends after its tunnel: never bring the label back
      }
      if (latency.get(i) == null) {
        latency.set(i, Timer.builder("grok.request.latency")
            .description("Time from a request's head to the end of its response, per live tunnel")
            .tag("tunnel", label).tag("method", METHODS.get(m)).tag("status", STATUS_CLASSES.get(s))
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry));
      }
      return latency.get(i);
    }
  }

  static int methodIndex(String method) {
    return switch (method) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "DELETE" -> 4;
      case "PATCH" -> 5;
      case "OPTIONS" -> 6;
      case "CONNECT" -> 7;
      case "TRACE" -> 8;
      default -> 9;
    };
  }

  @Override
  public long requests() {
    return requests.sum();
  }

  @Override
  public long bytesIn() {
    return (long) bytesIn.count();
  }

  @Override
  public long bytesOut() {
    return (long) bytesOut.count();
  }

  @Override
  public void close() {
    List<Meter> meters = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      meters.add(bytesIn);
      meters.add(bytesOut);
      for (int i = 0; i < latency.length(); i++) {
        if (latency.get(i) != null) {
          meters.add(latency.get(i));
        }
      }
    }
    meters.forEach(registry::remove);
  }
}
