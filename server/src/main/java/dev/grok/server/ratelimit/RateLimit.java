package dev.grok.server.ratelimit;

/**
 * A rate: {@code requestsPerSecond} on average, with up to {@code burst} at once after a quiet spell. Zero
 * requests per second means no limit.
 *
 * @param requestsPerSecond refill rate of the bucket; 0 for unlimited
 * @param burst bucket size; at least 1 when limited
 */
public record RateLimit(int requestsPerSecond, int burst) {
  /** No limit at all. */
  public static final RateLimit UNLIMITED = new RateLimit(0, 0);

  public RateLimit {
    if (requestsPerSecond < 0) {
      throw new IllegalArgumentException("rate-limit: " + requestsPerSecond + " (expected: >= 0, 0 for none)");
    }
    if (burst < 0 || requestsPerSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("rate-limit-burst: " + burst + " (expected: >= 1)");
    }
  }

  /** {@code rps} with {@code burst}, or when burst is 0 the default burst: one second's worth ({@code rps}). */
  public static RateLimit of(int rps, int burst) {
    return rps == 0 ? UNLIMITED : new RateLimit(rps, burst == 0 ? rps : burst);
  }

  public boolean isUnlimited() {
    return requestsPerSecond == 0;
  }

  @Override
  public String toString() {
    return isUnlimited() ? "unlimited" : requestsPerSecond + " req/s, burst " + burst;
  }
}
