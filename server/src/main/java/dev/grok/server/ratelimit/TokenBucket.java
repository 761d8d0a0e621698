package dev.grok.server.ratelimit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code requestsPerSecond}; each admitted request
 * takes one. Starts full. Kept in nanoseconds without floating point: the bucket stores the instant at which it
 * is full again (the "virtual scheduling" form of GCRA), so one admission is one read of the clock and one
 * compare-and-set, from any thread.
 */
public final class TokenBucket {
  private final LongSupplier nanoClock;
  /** Time one token takes to refill. */
  private final long nanosPerToken;
  /** Time a full bucket takes to refill: burst * nanosPerToken. */
  private final long burstNanos;
  /**
   * The instant (nanoClock) at which the bucket is full again if nothing more is taken; at or before now it is
   * full. Tokens left at {@code now} = burst - (fullAtNanos - now) / nanosPerToken. Updated by CAS, any thread.
   */
  private final AtomicLong fullAtNanos;

  public TokenBucket(RateLimit limit, LongSupplier nanoClock) {
    if (limit.isUnlimited()) {
      throw new IllegalArgumentException("limit: unlimited (expected: a rate; unlimited needs no bucket)");
    }
    this.nanoClock = nanoClock;
    this.nanosPerToken = TimeUnit.SECONDS.toNanos(1) / limit.requestsPerSecond();
    this.burstNanos = nanosPerToken * limit.burst();
    this.fullAtNanos = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * Takes one token. Returns 0 when the request is admitted, else how many nanoseconds until a token is
   * available (for {@code Retry-After}); a refused request takes nothing.
   */
  public long tryTake() {
    while (true) {
      long now = nanoClock.getAsLong();
      long full = fullAtNanos.get();
      // Taking a token moves the instant of "full again" one token later (from now, if it is full already);
      // when that lies more than a whole bucket ahead, no token is left.
      long base = full - now < 0 ? now : full;
      long next = base + nanosPerToken;
      if (next - now > burstNanos) {
        return next - now - burstNanos;
      }
      if (fullAtNanos.compareAndSet(full, next)) {
        return 0;
      }
    }
  }
}
