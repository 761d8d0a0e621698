package dev.grok.bench.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the load driver counts, per {@link Kind}: latencies in microseconds from each request's intended send time
 * (HdrHistogram {@link Recorder}s, read per interval without stopping the writers), completions and failures.
 * Every method is thread-safe. The first failures are printed to stderr with their reason, then one in a thousand.
 */
final class LoadStats {
  /** Highest latency recorded exactly: one hour, in microseconds; beyond it a value is clamped. */
  static final long MAX_MICROS = 3_600_000_000L;
  private static final int PRINT_FIRST_FAILURES = 20;

  private final Map<Kind, Recorder> recorders = new EnumMap<>(Kind.class);
  private final Map<Kind, LongAdder> done = new EnumMap<>(Kind.class);
  private final Map<Kind, LongAdder> failed = new EnumMap<>(Kind.class);
  private final AtomicLong failuresPrinted = new AtomicLong();
  private final long startNanos;

  LoadStats(long startNanos) {
    this.startNanos = startNanos;
    for (Kind k : Kind.values()) {
      recorders.put(k, new Recorder(MAX_MICROS, 3));
      done.put(k, new LongAdder());
      failed.put(k, new LongAdder());
    }
  }

  /** A correct answer arrived now for work meant to start at {@code intendedNanos}. */
  void ok(Kind kind, long intendedNanos) {
    long micros = Math.max(0, (System.nanoTime() - intendedNanos) / 1000);
    recorders.get(kind).recordValue(Math.min(micros, MAX_MICROS));
    done.get(kind).increment();
  }

  /** The work meant to start at {@code intendedNanos} failed: a wrong status, a short body, a lost connection. */
  void failed(Kind kind, long intendedNanos, String why) {
    failed.get(kind).increment();
    long n = failuresPrinted.incrementAndGet();
    if (n <= PRINT_FIRST_FAILURES || n % 1000 == 0) {
      System.err.printf("[load] failure #%d at %.1f s: %s (intended %.1f s): %s%n", n,
          (System.nanoTime() - startNanos) / 1e9, kind.label, (intendedNanos - startNanos) / 1e9, why);
    }
  }

  /** The latencies recorded since the last call for {@code kind} (a new histogram each time). */
  Histogram interval(Kind kind) {
    return recorders.get(kind).getIntervalHistogram();
  }

  long done(Kind kind) {
    return done.get(kind).sum();
  }

  long failed(Kind kind) {
    return failed.get(kind).sum();
  }

  long failedTotal() {
    long n = 0;
    for (LongAdder a : failed.values()) {
      n += a.sum();
    }
    return n;
  }
}
