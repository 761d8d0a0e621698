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

  /** {@code n} distinct streams take an exchange in the current period; returns their periods. */
  private int[] use(int n) {
    int[] periods = new int[n];
    for (int i = 0; i < n; i++) {
      periods[i] = bound.streamUsed(0);
    }
    return periods;
  }

  @Test
  void streamsInUseStayOpenEvenWhenTheClientSeesThemIdle() {
    // 500 concurrent visitors: the server keeps all 500 streams in use; the client sees only ~200 of them busy at a
    // time (the rest are on the wire or ending on the server), so 300 look idle: none of them may retire.
    bound.observeBusy(200);
    use(500);
    assertThat(bound.keepsIdle(300, 500, MIN, MAX)).isTrue();
    assertThat(bound.keepsIdle(300, 500 + MIN, MIN, MAX)).isTrue();
    assertThat(bound.keepsIdle(300, 500 + MIN + 1, MIN, MAX)).as("beyond the used ones and the margin").isFalse();
  }

  @Test
  void aStreamCountsOncePerPeriod() {
    int[] periods = use(10);
    for (int i = 0; i < 100; i++) {
      bound.streamUsed(periods[i % 10]);
    }
    assertThat(bound.keepsIdle(MAX, 10 + MIN, MIN, MAX)).isTrue();
    assertThat(bound.keepsIdle(MAX, 10 + MIN + 1, MIN, MAX)).as("ten streams used, not 110").isFalse();
  }

  @Test
  void streamsOpenedButUnusedMayRetire() {
    // The server asked for 60 more streams (76 open) but only one carried an exchange: 75 idle are surplus.
    use(1);
    assertThat(bound.keepsIdle(75, 76, MIN, MAX)).isFalse();
  }

  @Test
  void theUsedPeakIsHeldForAMinuteThenHalvedPerHeartbeat() {
    use(500);
    advanceSeconds(59);
    bound.decay(50);
    assertThat(bound.keepsIdle(300, 500, MIN, MAX)).isTrue();
    advanceSeconds(2);
    bound.decay(50);
    assertThat(bound.keepsIdle(300, 500, MIN, MAX)).as("used peak halved to 250, busy peak 0").isFalse();
    assertThat(bound.keepsIdle(250, 250, MIN, MAX)).isTrue();
  }

  @Test
  void aNewPeriodCountsTheSameStreamsAgain() {
    int[] periods = use(100);
    advanceSeconds(61);
    bound.decay(0); // a new period; the old peak of 100 halves to 50
    for (int p : periods) {
      bound.streamUsed(p);
    }
    assertThat(bound.keepsIdle(MAX, 100 + MIN, MIN, MAX)).as("all 100 used again in the new period").isTrue();
  }
}
