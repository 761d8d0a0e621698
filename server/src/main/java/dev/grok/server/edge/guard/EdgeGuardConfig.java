package dev.grok.server.edge.guard;

import java.time.Duration;

/**
 * The edge's deadlines and connection limits (options {@code --header-timeout}, {@code --body-timeout},
 * {@code --idle-timeout}, {@code --max-connections-per-ip}, {@code --max-connections}).
 *
 * @param headerTimeout a visitor's whole request head must arrive within it (408, then close)
 * @param bodyTimeout longest pause between two reads of a request body while the edge wants to read (408/close)
 * @param idleTimeout a keep-alive connection with no request in progress is closed after it (HTTP/1.1 and h2)
 * @param maxConnectionsPerIp visitor connections one address may hold at once; more get 429 and are closed
 * @param maxConnections visitor connections at once on one listener; more are closed at once
 */
public record EdgeGuardConfig(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
    int maxConnectionsPerIp, int maxConnections) {

  /** The contract's defaults: 30 s, 60 s, 75 s, 256 per address, 10,000 in total. */
  public static final EdgeGuardConfig DEFAULTS = new EdgeGuardConfig(Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(75), 256, 10_000);

  public EdgeGuardConfig {
    positive("header-timeout", headerTimeout);
    positive("body-timeout", bodyTimeout);
    positive("idle-timeout", idleTimeout);
    if (maxConnectionsPerIp < 1) {
      throw new IllegalArgumentException("max-connections-per-ip: " + maxConnectionsPerIp + " (expected: >= 1)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max-connections: " + maxConnections + " (expected: >= 1)");
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": " + (d == null ? "none" : d.toMillis() + " ms")
          + " (expected: > 0)");
    }
  }

  public EdgeGuardConfig withTimeouts(Duration header, Duration body, Duration idle) {
    return new EdgeGuardConfig(header, body, idle, maxConnectionsPerIp, maxConnections);
  }

  public EdgeGuardConfig withConnectionLimits(int perIp, int total) {
    return new EdgeGuardConfig(headerTimeout, bodyTimeout, idleTimeout, perIp, total);
  }
}
