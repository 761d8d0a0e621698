package dev.grok.client.inspect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client's Prometheus metrics, recorded from finished exchanges on the inspector's loop (never on the tunnel's
 * path). Labels stay bounded: the tunnel (its subdomain), a known method or {@code OTHER}, the status code or
 * {@code error}; never a path or an id.
 */
final class ClientMetrics {
  /** Histogram buckets of every timer: 1 ms to 60 s. */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /**
   * The meters already registered, by tunnel, metric and labels: registering again per exchange built a builder,
   * its tags and a meter id each time only to find the same meter. Bounded like the labels; owned by the caller's
   * (the inspector's) loop.
   */
  private final Map<String, Meter> meters = new HashMap<>();

  /** Counts a finished exchange of {@code tunnel}. */
  void record(String tunnel, CapturedExchange e) {
    String method = METHODS.contains(e.method()) ? e.method()
        : METHODS.contains(e.method().toUpperCase(Locale.ROOT)) ? e.method().toUpperCase(Locale.ROOT) : "OTHER";
    String status = e.status() > 0 ? Integer.toString(e.status()) : "error";
    timer("grok.request.latency", "From the request head reaching the client to the end of the response.",
        tunnel, method, status).record(e.durationNanos(), TimeUnit.NANOSECONDS);
    if (e.connectNanos() >= 0) {
      timer("grok.local.connect", "Time to open a connection to the local service.", tunnel, null, null)
          .record(e.connectNanos(), TimeUnit.NANOSECONDS);
    }
    if (e.localResponseNanos() >= 0) {
      timer("grok.local.response", "From the request head to the local service's response head.", tunnel, null,
          null).record(e.localResponseNanos(), TimeUnit.NANOSECONDS);
    }
    bytes(tunnel, "in").increment(e.requestBody().size());
    bytes(tunnel, "out").increment(e.responseBody().size());
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  void close() {
    registry.close();
  }

  private Timer timer(String name, String description, String tunnel, String method, String status) {
    return (Timer) meters.computeIfAbsent(name + ' ' + tunnel + ' ' + method + ' ' + status, k -> {
      Timer.Builder b = Timer.builder(name).description(description).tag("tunnel", tunnel)
          .serviceLevelObjectives(BUCKETS);
      if (method != null) {
        b.tag("method", method).tag("status", status);
      }
      return b.register(registry);
    });
  }

  private Counter bytes(String tunnel, String direction) {
    return (Counter) meters.computeIfAbsent("grok.tunnel.bytes " + tunnel + ' ' + direction,
        k -> Counter.builder("grok.tunnel.bytes").baseUnit("bytes")
            .description("Body bytes through the tunnel: in = requests to the local service, out = responses.")
            .tag("tunnel", tunnel).tag("direction", direction).register(registry));
  }
}
