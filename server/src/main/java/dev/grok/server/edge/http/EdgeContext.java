package dev.grok.server.edge.http;

import dev.grok.server.edge.guard.EdgeConnectionLimiter;
import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.server.edge.guard.EdgeGuardMetrics;
import dev.grok.server.metrics.ExchangeObserver;
import dev.grok.server.metrics.Rejections;
import dev.grok.server.ratelimit.TunnelRateLimiter;
import dev.grok.server.registry.TunnelRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every edge connection shares: the registry, the Host router, the response timeout and the counters that
 * graceful shutdown waits on.
 */
final class EdgeContext {
  final TunnelRegistry registry;
  final HostRouter router;
  final String domain;
  final long responseTimeoutMillis;
  final String forwardedProto;
  /** Exchanges started and not yet finished; shutdown waits for zero. */
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicLong exchangeIds = new AtomicLong();
  /** Told once when each exchange ends (metrics, request log). */
  final ExchangeObserver observer;
  /** Deadlines and connection limits of this edge (docs/security.md). */
  final EdgeGuardConfig guard;
  /** Where refusals, deadline closes and open connections are counted; shared by both edge listeners. */
  final EdgeGuardMetrics guardMetrics;
  /** Connections of this listener, per address and in total. */
  final EdgeConnectionLimiter limiter;
  /** Where refusals are counted (grok_edge_rejected_total). */
  final Rejections rejections;
  /** Requests per second per tunnel; checked once the tunnel of a request is known. */
  final TunnelRateLimiter rateLimiter;

  EdgeContext(TunnelRegistry registry, String domain, Duration responseTimeout, String forwardedProto) {
    this(registry, domain, responseTimeout, forwardedProto, ExchangeObserver.NONE);
  }

  EdgeContext(TunnelRegistry registry, String domain, Duration responseTimeout, String forwardedProto,
      ExchangeObserver observer) {
    this(registry, domain, responseTimeout, forwardedProto, observer, EdgeGuardConfig.DEFAULTS,
        EdgeGuardMetrics.NONE, EdgeGuards.NONE);
  }

  EdgeContext(TunnelRegistry registry, String domain, Duration responseTimeout, String forwardedProto,
      ExchangeObserver observer, EdgeGuardConfig guard, EdgeGuardMetrics guardMetrics, EdgeGuards guards) {
    this.guard = guard;
    this.guardMetrics = guardMetrics;
    this.limiter = new EdgeConnectionLimiter(guard, guardMetrics, "https".equals(forwardedProto));
    this.rejections = guards.rejections();
    this.rateLimiter = guards.rateLimiter();
    this.observer = observer;
    this.registry = registry;
    this.router = new HostRouter(domain);
    this.domain = domain;
    this.responseTimeoutMillis = responseTimeout.toMillis();
    this.forwardedProto = forwardedProto;
  }
}
