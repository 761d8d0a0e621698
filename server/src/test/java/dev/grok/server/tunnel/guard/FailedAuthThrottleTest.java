package dev.grok.server.tunnel.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed token attempts per address on a fake clock. */
class FailedAuthThrottleTest {
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final FailedAuthThrottle throttle = new FailedAuthThrottle(10, Duration.ofMinutes(5), nanos::get);

  private void advanceSeconds(long s) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(s));
  }

  @Test
  void theTenthFailureWithinAMinuteLocksTheAddressForTheLockout() throws Exception {
    InetAddress a = InetAddress.getByName("192.0.2.1");
    for (int i = 0; i < 9; i++) {
      assertThat(throttle.failed(a)).isFalse();
    }
    assertThat(throttle.lockedForNanos(a)).isZero();
    assertThat(throttle.failed(a)).isTrue();
    assertThat(throttle.lockedForNanos(a)).isEqualTo(TimeUnit.MINUTES.toNanos(5));
    advanceSeconds(299);
    assertThat(throttle.lockedForNanos(a)).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    advanceSeconds(1);
    assertThat(throttle.lockedForNanos(a)).isZero();
  }

  @Test
  void failuresOlderThanAMinuteDoNotCount() throws Exception {
    InetAddress a = InetAddress.getByName("192.0.2.2");
    for (int i = 0; i < 30; i++) {
      assertThat(throttle.failed(a)).isFalse();
      advanceSeconds(7); // 9 failures a minute: never 10 within one
    }
    assertThat(throttle.lockedForNanos(a)).isZero();
  }

  @Test
  void anotherAddressIsNotAffected() throws Exception {
    InetAddress a = InetAddress.getByName("192.0.2.3");
    InetAddress b = InetAddress.getByName("192.0.2.4");
    for (int i = 0; i < 10; i++) {
      throttle.failed(a);
    }
    assertThat(throttle.lockedForNanos(a)).isPositive();
    assertThat(throttle.lockedForNanos(b)).isZero();
  }

  @Test
  void zeroTurnsTheThrottleOff() throws Exception {
    FailedAuthThrottle off = new FailedAuthThrottle(0, Duration.ofMinutes(5), nanos::get);
    InetAddress a = InetAddress.getByName("192.0.2.5");
    for (int i = 0; i < 100; i++) {
      assertThat(off.failed(a)).isFalse();
    }
    assertThat(off.lockedForNanos(a)).isZero();
    assertThat(off.trackedAddresses()).isZero();
  }
}
