package dev.grok.client.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * How many idle Exchange streams a session keeps when a stream finishes its exchange (beyond it, the stream
 * retires). Two recent peaks, each held for {@link BusyPeak#HOLD_NANOS} and then halved per heartbeat, set it: the
 * most streams busy at once here ({@code busy}), and the most distinct streams that carried an exchange within one
 * hold period ({@code used}).
 *
 * <p>The second is needed because the client sees a stream busy only from a request head's arrival to its
 * exchange's end, while the server holds it from taking it for a visitor until both directions ended there: under
 * a steady 500 concurrent visitors the client saw ~200 busy and up to ~300 idle, retired the "surplus", and the
 * server, short of streams, asked for them again (StreamDemand; a new gRPC stream for each exchange that waited:
 * 1,212 retirements and 152 demands in 10 s). A stream the server keeps using is not surplus, whatever it looks like
 * here; a stream nobody used for a minute is.
 *
 * <p>Thread-safe: streams report from any transport loop; {@link #decay} runs on the heartbeat. The clock is
 * injected for tests.
 */
final class IdleBound {
  private final LongSupplier nanoClock;
  private final BusyPeak busy;
  private final BusyPeak used;
  /** Streams that carried an exchange in the current period. */
  private final AtomicInteger usedThisPeriod = new AtomicInteger();
  /** The current period's number (from 1: a new stream's 0 never matches); written by {@link #decay} only. */
  private volatile int period = 1;
  /** When the current period began, by {@link #nanoClock}. */
  private volatile long periodStartNanos;

  IdleBound(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.busy = new BusyPeak(nanoClock);
    this.used = new BusyPeak(nanoClock);
    this.periodStartNanos = nanoClock.getAsLong();
  }

  /** {@code busyNow} exchanges run at once here now. */
  void observeBusy(int busyNow) {
    busy.observe(busyNow);
  }

  /**
   * A stream takes an exchange; {@code lastPeriod} is the period it last did (0 never). Returns the period for the
   * stream to keep: a stream counts once per period.
   */
  int streamUsed(int lastPeriod) {
    int p = period;
    if (lastPeriod != p) {
      used.observe(usedThisPeriod.incrementAndGet());
    }
    return p;
  }

  /**
   * True when a stream that just finished its exchange stays idle: fewer than {@code maxIdle} (or the busy peak
   * plus {@code minIdle}) are idle, or the session has no more streams open than were recently used plus
   * {@code minIdle}.
   */
  boolean keepsIdle(int idleNow, int totalNow, int minIdle, int maxIdle) {
    return idleNow < Math.max(maxIdle, busy.get() + minIdle) || totalNow <= used.get() + minIdle;
  }

  /** Once per heartbeat: lets both peaks decay (never below the exchanges busy now) and starts a new period. */
  void decay(int busyNow) {
    busy.decay(busyNow);
    used.decay(busyNow);
    long now = nanoClock.getAsLong();
    if (now - periodStartNanos > BusyPeak.HOLD_NANOS) {
      periodStartNanos = now;
      usedThisPeriod.set(0);
      period = period + 1;
    }
  }
}
