package dev.grok.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
  private final AtomicLong nowMillis = new AtomicLong(1_000_000);
  private final SignInThrottle throttle = new SignInThrottle(nowMillis::get);

  @Test
  void fiveFailuresWithinAMinuteBlockTheKeyUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
      assertThat(throttle.retryAfterMillis("email:a")).isZero();
      throttle.failed("email:a");
      nowMillis.addAndGet(1_000);
    }
    // The first failure was 5 s ago: it leaves the 60 s window in 55 s.
    assertThat(throttle.retryAfterMillis("email:a")).isEqualTo(55_000);
    assertThat(throttle.retryAfterMillis("email:b")).isZero();
    nowMillis.addAndGet(55_000);
    assertThat(throttle.retryAfterMillis("email:a")).isZero();
  }

  @Test
  void failuresSpreadOverMoreThanAMinuteNeverBlock() {
    for (int i = 0; i < 20; i++) {
      throttle.failed("address:10.0.0.1");
      assertThat(throttle.retryAfterMillis("address:10.0.0.1")).isZero();
      nowMillis.addAndGet(15_000);
    }
  }

  @Test
  void successForgetsTheFailuresOfThatKey() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("email:a");
    }
    throttle.succeeded("email:a");
    throttle.failed("email:a");
    assertThat(throttle.retryAfterMillis("email:a")).isZero();
  }

  @Test
  void trackedKeysAreBounded() {
    for (int i = 0; i < SignInThrottle.MAX_KEYS + 100; i++) {
      throttle.failed("address:" + i);
    }
    for (int i = 0; i < 5; i++) {
      throttle.failed("address:last");
    }
    assertThat(throttle.retryAfterMillis("address:last")).isPositive();
    assertThat(throttle.retryAfterMillis("address:0")).isZero(); // forgotten, the least recently failed
  }
}
