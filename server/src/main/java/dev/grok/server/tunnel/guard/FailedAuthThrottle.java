package dev.grok.server.tunnel.guard;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Failed token attempts per client address: after {@code maxFailuresPerMinute} failures within one minute, every
 * attempt from that address is refused for {@code lockout} (a token guessed at 10 a minute takes longer than the
 * universe is old; a typo costs a few minutes). Addresses are whole IPs (IPv6 included, not its /64).
 *
 * <p>Bounded: at most {@link #MAX_TRACKED_ADDRESSES} addresses are remembered; when full, entries with nothing
 * left to remember are dropped first, then the insertion is skipped (an attacker with that many addresses is not
 * slowed by per-address counting anyway). Thread-safe; the clock is injectable for tests.
 */
final class FailedAuthThrottle {
  /** Addresses remembered at once. */
  static final int MAX_TRACKED_ADDRESSES = 100_000;
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final int maxFailuresPerMinute;
  private final long lockoutNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<InetAddress, Record> addresses = new ConcurrentHashMap<>();

  /** {@code maxFailuresPerMinute} 0 turns the throttle off. */
  FailedAuthThrottle(int maxFailuresPerMinute, Duration lockout, LongSupplier nanoClock) {
    this.maxFailuresPerMinute = maxFailuresPerMinute;
    this.lockoutNanos = lockout.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Nanoseconds {@code address} is still refused for; 0 when it may try. */
  long lockedForNanos(InetAddress address) {
    Record r = addresses.get(address);
    return r == null ? 0 : r.lockedForNanos(nanoClock.getAsLong());
  }

  /** One failed attempt from {@code address}; returns true when this one locked the address out. */
  boolean failed(InetAddress address) {
    if (maxFailuresPerMinute == 0) {
      return false;
    }
    long now = nanoClock.getAsLong();
    Record r = addresses.get(address);
    if (r == null) {
      if (addresses.size() >= MAX_TRACKED_ADDRESSES) {
        addresses.values().removeIf(old -> old.forgettable(now));
        if (addresses.size() >= MAX_TRACKED_ADDRESSES) {
          return false;
        }
      }
      r = addresses.computeIfAbsent(address, a -> new Record());
    }
    return r.failed(now);
  }

  int trackedAddresses() {
    return addresses.size();
  }

  /** The failures of one address within the last minute, and its lockout. Guarded by its own monitor. */
  private final class Record {
    /** Times of the failures within the last minute, oldest first; at most maxFailuresPerMinute. */
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    /** End of the lockout (nanoClock); meaningful while locked. */
    private long lockedUntilNanos;
    private boolean locked;

    synchronized long lockedForNanos(long now) {
      if (locked && lockedUntilNanos - now > 0) {
        return lockedUntilNanos - now;
      }
      locked = false;
      return 0;
    }

    synchronized boolean failed(long now) {
      if (lockedForNanos(now) > 0) {
        return false; // refused attempts do not reach the token check, so they are no failures
      }
      while (!failures.isEmpty() && now - failures.peekFirst() >= MINUTE_NANOS) {
        failures.pollFirst();
      }
      failures.addLast(now);
      if (failures.size() >= maxFailuresPerMinute) {
        failures.clear();
        locked = true;
        lockedUntilNanos = now + lockoutNanos;
        return true;
      }
      return false;
    }

    synchronized boolean forgettable(long now) {
      return lockedForNanos(now) == 0 && (failures.isEmpty() || now - failures.peekLast() >= MINUTE_NANOS);
    }
  }
}
