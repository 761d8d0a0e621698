package dev.grok.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {
  @Test
  void fitOfALineGivesItsSlopePerHourAndItsRiseOverTheSpan() {
    List<Double> ts = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int t = 600; t <= 1800; t += 10) {
      ts.add((double) t);
      ys.add(100 + t * 12.0 / 3600); // 12 MiB per hour: issue 13's "1 MiB per 5 minutes"
    }
    Trend trend = Trend.fit(ts, ys);
    assertThat(trend.slopePerHour()).isCloseTo(12.0, within(1e-9));
    assertThat(trend.rise()).isCloseTo(4.0, within(1e-9)); // 1,200 s at 12 MiB/h
    assertThat(trend.points()).isEqualTo(121);
  }

  @Test
  void fitIgnoresNoiseAroundAFlatLine() {
    List<Double> ts = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ts.add(i * 10.0);
      ys.add(150 + (i % 2 == 0 ? 8.0 : -8.0)); // a GC sawtooth of +-8 MiB
    }
    assertThat(Trend.fit(ts, ys).slopePerHour()).isCloseTo(0, within(2.0));
  }

  @Test
  void fewerThanTwoPointsOrOneInstantAreFlat() {
    assertThat(Trend.fit(List.of(5.0), List.of(7.0)).slopePerHour()).isZero();
    assertThat(Trend.fit(List.of(5.0, 5.0), List.of(1.0, 9.0)).slopePerHour()).isZero();
  }
}
