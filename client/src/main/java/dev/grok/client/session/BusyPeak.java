package dev.grok.client.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The most exchanges a session ran at once lately: held for {@link #HOLD_NANOS} after it was last reached, then
 * halved at each {@link #decay} (once per heartbeat), never below the exchanges busy then. {@link StandbyPool} keeps
 * as many idle streams as this peak needed, so a steady load above its fixed idle bound does not churn streams.
 *
 * <p>Thread-safe: streams report from any transport loop. The clock is injected so that tests need not wait a
 * minute.
 */
final class BusyPeak {
  /** How long a peak keeps its streams: a minute, like an HTTP pool's idle timeout. */
  static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final LongSupplier nanoClock;
  private final AtomicInteger peak = new AtomicInteger();
  /** When the peak was last reached or halved, by {@link #nanoClock}. */
  private volatile long reachedNanos;

  BusyPeak(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.reachedNanos = nanoClock.getAsLong();
  }

  /** {@code busy} exchanges run at once now. */
  void observe(int busy) {
    if (busy >= peak.get()) {
      peak.accumulateAndGet(busy, Math::max);
      reachedNanos = nanoClock.getAsLong();
    }
  }

  /** The peak now. */
  int get() {
    return peak.get();
  }

  /** Halves a peak older than {@link #HOLD_NANOS} (not below {@code busyNow}); restarts its hold when it does. */
  void decay(int busyNow) {
    long now = nanoClock.getAsLong();
    if (now - reachedNanos > HOLD_NANOS) {
      peak.updateAndGet(p -> Math.max(busyNow, p / 2));
      reachedNanos = now;
    }
  }
}
