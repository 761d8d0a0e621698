package dev.grok.server;

import dev.grok.server.ratelimit.RateLimit;
import java.time.Duration;

/**
 * The limits against abuse of the edge's tunnels and of the tunnel port (docs/security.md), each from an option.
 *
 * @param rateLimit requests per second per HTTP tunnel, unless its token overrides it ({@code --rate-limit},
 *     {@code --rate-limit-burst}); unlimited by default
 * @param tunnelAuthTimeout a tunnel-port connection with no authenticated call by then is closed
 *     ({@code --tunnel-auth-timeout}, 10 s)
 * @param maxUnauthenticatedConnections tunnel-port connections not yet authenticated at once; more are closed at
 *     once ({@code --max-unauthenticated-connections}, 1000)
 * @param maxFailedAuthPerMinute failed token attempts from one address within a minute before its attempts are
 *     refused ({@code --max-failed-auth}, 10; 0 turns the throttle off)
 * @param failedAuthLockout how long such an address is refused ({@code --failed-auth-lockout}, 300 s)
 */
public record Throttles(RateLimit rateLimit, Duration tunnelAuthTimeout, int maxUnauthenticatedConnections,
    int maxFailedAuthPerMinute, Duration failedAuthLockout) {
  /** The defaults of every option above. */
  public static final Throttles DEFAULTS =
      new Throttles(RateLimit.UNLIMITED, Duration.ofSeconds(10), 1000, 10, Duration.ofMinutes(5));

  public Throttles {
    if (tunnelAuthTimeout.isNegative() || tunnelAuthTimeout.isZero()) {
      throw new IllegalArgumentException("tunnel-auth-timeout: " + tunnelAuthTimeout.toSeconds()
          + " (expected: > 0)");
    }
    if (maxUnauthenticatedConnections < 1) {
      throw new IllegalArgumentException("max-unauthenticated-connections: " + maxUnauthenticatedConnections
          + " (expected: >= 1)");
    }
    if (maxFailedAuthPerMinute < 0) {
      throw new IllegalArgumentException("max-failed-auth: " + maxFailedAuthPerMinute
          + " (expected: >= 0, 0 for no throttle)");
    }
    if (failedAuthLockout.isNegative() || failedAuthLockout.isZero()) {
      throw new IllegalArgumentException("failed-auth-lockout: " + failedAuthLockout.toSeconds()
          + " (expected: > 0)");
    }
  }

  public Throttles withRateLimit(RateLimit limit) {
    return new Throttles(limit, tunnelAuthTimeout, maxUnauthenticatedConnections, maxFailedAuthPerMinute,
        failedAuthLockout);
  }
}
