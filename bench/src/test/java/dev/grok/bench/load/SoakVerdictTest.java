package dev.grok.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
  /** One row every 10 s for an hour: RSS and GET p99 as functions of the time in seconds. */
  private static List<SoakRow> hour(DoubleUnaryOperator serverRss, DoubleUnaryOperator clientRss,
      DoubleUnaryOperator p99) {
    List<SoakRow> rows = new ArrayList<>();
    for (int t = 10; t <= 3600; t += 10) {
      rows.add(new SoakRow(t, serverRss.applyAsDouble(t), clientRss.applyAsDouble(t), 0, 0, 10_000, 1000, 0, 2,
          p99.applyAsDouble(t), 20, 30, 3, 8));
    }
    return rows;
  }

  private static final DoubleUnaryOperator FLAT_RSS = t -> 90;
  private static final DoubleUnaryOperator FLAT_P99 = t -> 5;

  @Test
  void passesWithoutErrorsAndWithFlatSeries() {
    List<String> lines = SoakVerdict.lines(hour(FLAT_RSS, FLAT_RSS, FLAT_P99), 3_600_000, 0, 0);
    assertThat(lines.get(0)).startsWith("VERDICT: PASS");
    assertThat(lines).anyMatch(l -> l.startsWith("highest RSS: server 90.0 MiB, client 90.0 MiB") && l.endsWith("yes, yes)"));
  }

  @Test
  void oneErrorFailsEvenInTheWarmUp() {
    assertThat(SoakVerdict.lines(hour(FLAT_RSS, FLAT_RSS, FLAT_P99), 3_600_000, 1, 0).get(0))
        .startsWith("VERDICT: FAIL (zero errors: NO;");
    assertThat(SoakVerdict.lines(hour(FLAT_RSS, FLAT_RSS, FLAT_P99), 3_600_000, 0, 1).get(0))
        .startsWith("VERDICT: FAIL (zero errors: NO;");
  }

  @Test
  void aClientCreepingTwelveMibPerHourInTheSecondHalfIsNotFlat() {
    List<String> lines = SoakVerdict.lines(hour(FLAT_RSS, t -> 90 + t * 12 / 3600, FLAT_P99), 3_600_000, 0, 0);
    assertThat(lines.get(0)).contains("server RSS flat: yes; client RSS flat: NO;");
    assertThat(lines).anyMatch(l -> l.startsWith("client RSS trend over the second half: +12.0 MiB/h"));
  }

  @Test
  void growthInTheFirstHalfOnlyIsFlat() {
    DoubleUnaryOperator warmsUp = t -> Math.min(150, 80 + t / 10); // grows for 700 s, then stays
    assertThat(SoakVerdict.lines(hour(warmsUp, warmsUp, FLAT_P99), 3_600_000, 0, 0).get(0))
        .startsWith("VERDICT: PASS");
  }

  @Test
  void aFallingRssIsFlat() {
    assertThat(SoakVerdict.lines(hour(t -> 200 - t / 60, FLAT_RSS, FLAT_P99), 3_600_000, 0, 0).get(0))
        .startsWith("VERDICT: PASS");
  }

  @Test
  void aP99RisingMoreThanAQuarterOverTheSecondHalfIsNotFlat() {
    DoubleUnaryOperator rising = t -> t < 1800 ? 5 : 5 + (t - 1800) / 1800 * 3; // +3 ms on 5-6.5 ms: > 25%
    assertThat(SoakVerdict.lines(hour(FLAT_RSS, FLAT_RSS, rising), 3_600_000, 0, 0).get(0))
        .contains("GET p99 flat: NO)");
    DoubleUnaryOperator slightly = t -> t < 1800 ? 5 : 5 + (t - 1800) / 1800 * 0.9; // within the 1 ms floor
    assertThat(SoakVerdict.lines(hour(FLAT_RSS, FLAT_RSS, slightly), 3_600_000, 0, 0).get(0))
        .startsWith("VERDICT: PASS");
  }
}
