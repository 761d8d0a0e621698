package dev.grok.server.metrics;

import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelTraffic;
import dev.grok.server.requestlog.RequestLog;
import io.grpc.ServerStreamTracer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's Prometheus registry and everything recorded into it. It is the edge's {@link ExchangeObserver}
 * (one call per finished exchange), the registry's {@link TunnelTraffic.Factory} (each tunnel's meters, removed
 * with the tunnel) and the gRPC transport's byte tracer; it feeds the {@link RequestLog} (the database's, when
 * one is given) and the {@link TrafficHistory} the dashboard reads. See docs/metrics.md for every metric.
 */
public final class ServerMetrics implements ExchangeObserver, TunnelTraffic.Factory, AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter[] errors = new Counter[ErrorKind.values().length];
  private final LongAdder requests = new LongAdder();
  private final LongAdder bodyIn = new LongAdder();
  private final LongAdder bodyOut = new LongAdder();
  private final WireBytesTracer wire = new WireBytesTracer();
  /** The request log in the database; null when this server keeps none (tests, benchmarks). */
  private final RequestLog requestLog;
  /** Whether exchanges are offered to the request log: false without one and with retention 0 (no queueing). */
  private final boolean logging;
  private final TrafficHistory history = new TrafficHistory();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Rejections rejections = new Rejections(registry);
  /** Null until {@link #startSampling}. */
  private volatile List<ScheduledFuture<?>> tasks;

  /** Without a request log. */
  public ServerMetrics() {
    this(null);
  }

  /**
   * {@code requestLog} receives every exchange of a tunnel (unless it is off); its owner starts its writer, and
   * {@link #close()} stops it.
   */
  public ServerMetrics(RequestLog requestLog) {
    this.requestLog = requestLog;
    this.logging = requestLog != null && requestLog.enabled();
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
      new NettyAllocatorMetrics(provider).bindTo(registry);
    }
    for (ErrorKind kind : ErrorKind.values()) {
      errors[kind.ordinal()] = Counter.builder("grok.errors")
          .description("Exchanges that did not get the local service's answer, by why")
          .tag("kind", kind.label).register(registry);
    }
    FunctionCounter.builder("grok.requests", requests, LongAdder::sum)
        .description("Exchanges ended, all tunnels (and none)").register(registry);
    bodyCounter("in", bodyIn);
    bodyCounter("out", bodyOut);
    wireCounter("grok.grpc.wire.bytes", "in", wire.wireIn);
    wireCounter("grok.grpc.wire.bytes", "out", wire.wireOut);
    wireCounter("grok.grpc.uncompressed.bytes", "in", wire.uncompressedIn);
    wireCounter("grok.grpc.uncompressed.bytes", "out", wire.uncompressedOut);
    FunctionCounter.builder("grok.request.log.dropped", this, m -> m.requestLog == null ? 0 : m.requestLog.dropped())
        .description("Exchanges not written to the request log because its queue was full").register(registry);
    FunctionCounter.builder("grok.request.log.write.failures", this,
            m -> m.requestLog == null ? 0 : m.requestLog.writeFailures())
        .description("Exchanges not written to the request log because the database failed").register(registry);
  }

  /** The registry itself, for meters recorded elsewhere (the edge guard's refusals and deadlines). */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  private void bodyCounter(String direction, LongAdder adder) {
    FunctionCounter.builder("grok.body.bytes", adder, LongAdder::sum)
        .description("Body bytes relayed, all tunnels, including ended ones (in: towards local services)")
        .tag("direction", direction).register(registry);
  }

  private void wireCounter(String name, String direction, LongAdder adder) {
    FunctionCounter.builder(name, adder, LongAdder::sum)
        .description("gRPC message bytes on the tunnel port (in: server to client); wire is after compression")
        .tag("direction", direction).register(registry);
  }

  /** Binds the gauges of live state; each supplier is called on scrape only. */
  public void bindGauges(Supplier<Number> sessions, Supplier<Number> tunnels, Supplier<Number> exchangesInFlight,
      Supplier<Number> standbyStreams) {
    Gauge.builder("grok.sessions", sessions).description("Connected grok clients").register(registry);
    Gauge.builder("grok.tunnels", tunnels).description("Live tunnels").register(registry);
    Gauge.builder("grok.exchanges.in.flight", exchangesInFlight)
        .description("Exchanges started and not yet ended").register(registry);
    Gauge.builder("grok.standby.streams", standbyStreams)
        .description("Idle standby streams the clients hold open").register(registry);
  }

  /** Starts the per-second history on {@code scheduler}. */
  public void startSampling(ScheduledExecutorService scheduler) {
    tasks = List.of(scheduler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS));
  }

  private void sample() {
    history.sample(System.currentTimeMillis() / 1000, requests.sum(), bodyIn.sum(), bodyOut.sum());
  }

  @Override
  public TunnelTraffic open(String label, String user) {
    return new TunnelMeters(registry, label);
  }

  @Override
  public void exchangeEnded(Tunnel tunnel, String method, String uri, int status, ErrorKind error,
      long requestBytes, long responseBytes, long durationNanos, SocketAddress visitor) {
    requests.increment();
    if (requestBytes > 0) {
      bodyIn.add(requestBytes);
    }
    if (responseBytes > 0) {
      bodyOut.add(responseBytes);
    }
    if (error != null) {
      errors[error.ordinal()].increment();
    }
    if (tunnel != null) {
      tunnel.traffic().record(method, status, durationNanos, requestBytes, responseBytes);
      if (logging) {
        requestLog.offer(tunnel.name(), tunnel.user(), method, uri, status, error == null ? null : error.label,
            durationNanos, requestBytes, responseBytes, visitor);
      }
    }
  }

  /** To install on the gRPC server: counts message bytes on the tunnel port. */
  public ServerStreamTracer.Factory wireTracer() {
    return wire;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** What the edge and the tunnel port refused, by why. */
  public Rejections rejections() {
    return rejections;
  }

  /** The request log in the database; null when this server keeps none. */
  public RequestLog requestLog() {
    return requestLog;
  }

  public TrafficHistory history() {
    return history;
  }

  /** Exchanges ended so far, all tunnels. */
  public long requests() {
    return requests.sum();
  }

  /** Body bytes towards local services so far. */
  public long bodyBytesIn() {
    return bodyIn.sum();
  }

  /** Body bytes towards visitors so far. */
  public long bodyBytesOut() {
    return bodyOut.sum();
  }

  @Override
  public void close() {
    List<ScheduledFuture<?>> t = tasks;
    if (t != null) {
      t.forEach(f -> f.cancel(false));
    }
    if (requestLog != null) {
      requestLog.close(); // writes what is queued: the database must still be open
    }
    gc.close();
    registry.close();
  }
}
