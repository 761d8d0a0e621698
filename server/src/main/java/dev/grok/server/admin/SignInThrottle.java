package dev.grok.server.admin;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed sign-ins per key (an email, a client address) within a sliding window: after {@link #MAX_FAILURES} in
 * {@link #WINDOW_MILLIS}, further attempts for that key are refused (429) until the oldest failure leaves the
 * window, without checking the password at all. Per process: several servers on one database each count their own.
 * At most {@link #MAX_KEYS} keys are tracked; beyond it the least recently failed key is forgotten. The clock is
 * injected for tests. Thread-safe (one lock; sign-ins are rare).
 */
final class SignInThrottle {
  static final int MAX_FAILURES = 5;
  static final long WINDOW_MILLIS = 60_000;
  static final int MAX_KEYS = 10_000;

  /** Key to the times of its recent failures, oldest first; access order, so the eldest is least recently used. */
  private final LinkedHashMap<String, ArrayDeque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
      return size() > MAX_KEYS;
    }
  };
  private final LongSupplier clockMillis;

  SignInThrottle(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /** Milliseconds until {@code key} may try again; 0 when it may now. */
  synchronized long retryAfterMillis(String key) {
    ArrayDeque<Long> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    long now = clockMillis.getAsLong();
    prune(times, now);
    if (times.isEmpty()) {
      failures.remove(key);
      return 0;
    }
    return times.size() < MAX_FAILURES ? 0 : times.peekFirst() + WINDOW_MILLIS - now;
  }

  synchronized void failed(String key) {
    long now = clockMillis.getAsLong();
    ArrayDeque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    prune(times, now);
    times.addLast(now);
    while (times.size() > MAX_FAILURES) {
      times.removeFirst();
    }
  }

  /** A success forgets the email's failures (not the address's: one address may try many emails). */
  synchronized void succeeded(String key) {
    failures.remove(key);
  }

  private static void prune(ArrayDeque<Long> times, long now) {
    for (Iterator<Long> it = times.iterator(); it.hasNext(); ) {
      if (it.next() + WINDOW_MILLIS <= now) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
