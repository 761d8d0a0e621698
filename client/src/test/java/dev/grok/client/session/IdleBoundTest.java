package dev.grok.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which finished streams stay idle, on a fake clock (MIN_IDLE 8, MAX_IDLE 64 as in StandbyPool). */
class IdleBoundTest {
  private static final int MIN = StandbyPool.MIN_IDLE;
  private static final int MAX = StandbyPool.MAX_IDLE;

  private final AtomicLong nowNanos = new AtomicLong(1_000);
  private final IdleBound bound = new IdleBound(nowNanos::get);

  private void advanceSeconds(long seconds) {
    nowNanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void withoutLoadTheFixedBoundHolds() {
    assertThat(bound.keepsIdle(MAX - 1, 100, MIN, MAX)).isTrue();
    assertThat(bound.keepsIdle(MAX, 100, MIN, MAX)).isFalse();
  }

  @Test
  void aBusyPeakKeepsThatManyIdlePlusTheMargin() {
    bound.observeBusy(200);
    assertThat(bound.keepsIdle(200 + MIN - 1, 400, MIN, MAX)).isTrue();
    assertThat(bound.keepsIdle(200 + MIN, 400, MIN, MAX)).isFalse();
  }

  @Test
  void streamsTheServerAskedForStayOpenEvenWhenTheClientSeesThemIdle() {
    // 500 concurrent visitors: the server demanded streams up to 500; the client sees only ~200 of them busy at a
    // time (the rest are on the wire or ending on the server), so 300 look idle: none of them may retire.
    bound.observeBusy(200);
    bound.observeDemandMet(500);
    assertThat(bound.keepsIdle(300, 500, MIN, MAX)).isTrue();
    assertThat(bound.keepsIdle(300, 501, MIN, MAX)).as("beyond what was asked for, the busy bound rules").isFalse();
  }

  @Test
  void aDemandIsHeldForAMinuteThenHalvedPerHeartbeat() {
    bound.observeBusy(100);
    bound.observeDemandMet(500);
    advanceSeconds(59);
    bound.decay(50);
    assertThat(bound.keepsIdle(300, 500, MIN, MAX)).isTrue();
    advanceSeconds(2);
    bound.decay(50);
    assertThat(bound.keepsIdle(300, 500, MIN, MAX)).as("demand halved to 250, busy peak to 50").isFalse();
    assertThat(bound.keepsIdle(300, 250, MIN, MAX)).isTrue();
  }

  @Test
  void aNewDemandRestartsTheHold() {
    bound.observeDemandMet(500);
    advanceSeconds(50);
    bound.observeDemandMet(500);
    advanceSeconds(50);
    bound.decay(0);
    assertThat(bound.keepsIdle(400, 500, MIN, MAX)).isTrue();
  }
}
