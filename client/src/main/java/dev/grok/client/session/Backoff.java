package dev.grok.client.session;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: exponential backoff with full jitter (a uniform draw in [0, min(cap, base * 2^attempt)]), so
 * clients cut off together do not come back together. Not thread-safe: owned by the session loop.
 */
final class Backoff {
  static final long BASE_MILLIS = 250;
  static final long MAX_MILLIS = 15_000;

  /** Maps an inclusive bound to a draw in [0, bound]. */
  private final LongUnaryOperator jitter;
  private int attempt;

  Backoff() {
    this(bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  Backoff(LongUnaryOperator jitter) {
    this.jitter = jitter;
  }

  /** The delay before the next attempt; each call doubles the bound up to {@link #MAX_MILLIS}. */
  Duration next() {
    long bound = Math.min(MAX_MILLIS, BASE_MILLIS << Math.min(attempt, 16));
    attempt++;
    return Duration.ofMillis(jitter.applyAsLong(bound));
  }

  /** After a session that stayed up long enough the next failure starts again from the base delay. */
  void reset() {
    attempt = 0;
  }

  int attempt() {
    return attempt;
  }
}
