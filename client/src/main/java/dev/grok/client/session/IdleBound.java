package dev.grok.client.session;

import java.util.function.LongSupplier;

/**
 * How many idle Exchange streams a session keeps when a stream finishes its exchange (beyond it, the stream
 * retires). Two recent peaks, each held for {@link BusyPeak#HOLD_NANOS} and then halved per heartbeat, set it: the
 * most streams busy at once here ({@code busy}), and the most streams the session had open right after meeting a
 * server's {@code StreamDemand} ({@code demanded}).
 *
 * <p>The second is needed because the client sees a stream busy only from a request head's arrival to its
 * exchange's end, while the server holds it from taking it for a visitor until both directions ended there: under
 * a steady 500 concurrent visitors the client saw ~200 busy and up to ~300 idle, retired the "surplus" and the
 * server, short of streams, asked for them again (StreamDemand, a new gRPC stream per exchange that waited). What
 * the server asked for is what it needs, so that many streams stay open while the demand is recent.
 *
 * <p>Thread-safe: streams report from any transport loop. The clock is injected for tests.
 */
final class IdleBound {
  private final BusyPeak busy;
  private final BusyPeak demanded;

  IdleBound(LongSupplier nanoClock) {
    this.busy = new BusyPeak(nanoClock);
    this.demanded = new BusyPeak(nanoClock);
  }

  /** {@code busyNow} exchanges run at once here now. */
  void observeBusy(int busyNow) {
    busy.observe(busyNow);
  }

  /** The session met a server's demand and has {@code totalNow} streams open now. */
  void observeDemandMet(int totalNow) {
    demanded.observe(totalNow);
  }

  /**
   * True when a stream that just finished its exchange stays idle: fewer than {@code maxIdle} (or the busy peak
   * plus {@code minIdle}) are idle, or the session has no more streams open than the server recently asked for.
   */
  boolean keepsIdle(int idleNow, int totalNow, int minIdle, int maxIdle) {
    return idleNow < Math.max(maxIdle, busy.get() + minIdle) || totalNow <= demanded.get();
  }

  /** Once per heartbeat: lets both peaks decay (never below the exchanges busy now). */
  void decay(int busyNow) {
    busy.decay(busyNow);
    demanded.decay(busyNow);
  }
}
