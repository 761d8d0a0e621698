package dev.grok.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.server.registry.RecordingOwner;
import dev.grok.server.registry.Tunnel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket and the per-tunnel limiter on a fake clock: no sleeps. */
class TokenBucketTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private void advanceMillis(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aFullBucketAdmitsItsBurstThenRefusesWithTheWaitForOneToken() {
    TokenBucket bucket = new TokenBucket(new RateLimit(10, 5), nanos::get);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake()).as("request %d", i).isZero();
    }
    assertThat(bucket.tryTake()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void tokensComeBackAtTheRate() {
    TokenBucket bucket = new TokenBucket(new RateLimit(10, 1), nanos::get);
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isPositive();
    advanceMillis(99);
    assertThat(bucket.tryTake()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    advanceMillis(1);
    assertThat(bucket.tryTake()).isZero();
  }

  @Test
  void aQuietBucketRefillsToItsBurstAndNoFurther() {
    TokenBucket bucket = new TokenBucket(new RateLimit(100, 3), nanos::get);
    for (int i = 0; i < 3; i++) {
      bucket.tryTake();
    }
    advanceMillis(60_000);
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryTake()).isZero();
    }
    assertThat(bucket.tryTake()).isPositive();
  }

  @Test
  void refusedRequestsTakeNothing() {
    TokenBucket bucket = new TokenBucket(new RateLimit(1, 1), nanos::get);
    bucket.tryTake();
    for (int i = 0; i < 100; i++) {
      assertThat(bucket.tryTake()).isPositive();
    }
    advanceMillis(1_000);
    assertThat(bucket.tryTake()).isZero();
  }

  @Test
  void aBadLimitSaysWhatWasExpected() {
    assertThatThrownBy(() -> new RateLimit(-1, 1)).hasMessageContaining("rate-limit: -1 (expected: >= 0");
    assertThatThrownBy(() -> new RateLimit(5, 0)).hasMessageContaining("rate-limit-burst: 0 (expected: >= 1)");
    assertThat(RateLimit.of(7, 0)).isEqualTo(new RateLimit(7, 7));
    assertThat(RateLimit.of(0, 9)).isEqualTo(RateLimit.UNLIMITED);
  }

  @Test
  void theLimiterUsesATokensOverrideAndAnswersWholeSecondsToRetryAfter() {
    Tunnel limited = new Tunnel("slow", 1, "u", new RecordingOwner());
    Tunnel open = new Tunnel("open", 2, "u", new RecordingOwner());
    TunnelRateLimiter limiter = new TunnelRateLimiter(RateLimit.UNLIMITED,
        t -> t.name().equals("slow") ? "tok_slow" : "tok_open", nanos::get);
    assertThat(limiter.retryAfterSeconds(limited)).isZero(); // no limit configured at all

    limiter.refresh(Map.of("tok_slow", new RateLimit(1, 2)), List.of(limited, open));
    assertThat(limiter.retryAfterSeconds(limited)).isZero();
    assertThat(limiter.retryAfterSeconds(limited)).isZero();
    assertThat(limiter.retryAfterSeconds(limited)).isEqualTo(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.retryAfterSeconds(open)).isZero();
    }
    advanceMillis(1_000);
    assertThat(limiter.retryAfterSeconds(limited)).isZero();
  }

  @Test
  void theDefaultAppliesWithoutOverrideAndEndedTunnelsAreForgotten() {
    Tunnel a = new Tunnel("a-tunnel", 1, "u", new RecordingOwner());
    Tunnel b = new Tunnel("b-tunnel", 2, "u", new RecordingOwner());
    TunnelRateLimiter limiter = new TunnelRateLimiter(new RateLimit(1, 1), t -> null, nanos::get);
    assertThat(limiter.retryAfterSeconds(a)).isZero();
    assertThat(limiter.retryAfterSeconds(a)).isEqualTo(1);
    assertThat(limiter.retryAfterSeconds(b)).isZero();
    assertThat(limiter.trackedTunnels()).isEqualTo(2);
    limiter.refresh(Map.of(), List.of(b));
    assertThat(limiter.trackedTunnels()).isEqualTo(1);
  }
}
