package dev.grok.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The busy peak on a fake clock: held for a minute after it was last reached, then halved per heartbeat. */
class BusyPeakTest {
  private final AtomicLong nowNanos = new AtomicLong(1_000);
  private final BusyPeak peak = new BusyPeak(nowNanos::get);

  private void advanceSeconds(long seconds) {
    nowNanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void peakIsHeldForAMinuteAfterItWasReached() {
    peak.observe(100);
    advanceSeconds(59);
    peak.decay(3);
    assertThat(peak.get()).isEqualTo(100);
  }

  @Test
  void peakOlderThanAMinuteIsHalvedOncePerHold() {
    peak.observe(100);
    advanceSeconds(61);
    peak.decay(3);
    assertThat(peak.get()).isEqualTo(50);
    peak.decay(3);
    assertThat(peak.get()).as("the next halving waits for another hold").isEqualTo(50);
    advanceSeconds(61);
    peak.decay(3);
    assertThat(peak.get()).isEqualTo(25);
  }

  @Test
  void decayNeverGoesBelowTheExchangesBusyNow() {
    peak.observe(100);
    advanceSeconds(61);
    peak.decay(80);
    assertThat(peak.get()).isEqualTo(80);
  }

  @Test
  void reachingThePeakAgainRestartsItsHold() {
    peak.observe(100);
    advanceSeconds(50);
    peak.observe(100);
    advanceSeconds(50);
    peak.decay(0);
    assertThat(peak.get()).isEqualTo(100);
  }

  @Test
  void lowerLoadDoesNotRestartTheHold() {
    peak.observe(100);
    advanceSeconds(50);
    peak.observe(10);
    advanceSeconds(11);
    peak.decay(10);
    assertThat(peak.get()).isEqualTo(50);
  }
}
