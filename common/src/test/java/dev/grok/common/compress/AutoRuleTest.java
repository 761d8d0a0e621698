package dev.grok.common.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The auto rule with injected rates and clock: compress only while the measured tunnel is slower than zstd. */
class AutoRuleTest {
  private static final double MIB = 1024 * 1024;
  /** A compressor of 400 MiB/s. */
  private static final double COMPRESSOR = 400 * MIB;
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 5 * SECOND;

  /** One sample of {@code bytesPerSecond} taken over one second ending at {@code now}. */
  private static void measure(AutoRule rule, double bytesPerSecond, long now) {
    rule.sample((long) bytesPerSecond, SECOND, now);
  }

  @Test
  void nothingIsCompressedBeforeTheFirstSample() {
    AutoRule rule = new AutoRule(COMPRESSOR);

    assertThat(rule.compress(T0)).isFalse();
    assertThat(rule.estimateBytesPerSecond()).isZero();
  }

  @Test
  void aLinkOf100MbitIsCompressed() {
    AutoRule rule = new AutoRule(COMPRESSOR);
    measure(rule, 100e6 / 8, T0);

    assertThat(rule.compress(T0 + SECOND)).isTrue();
  }

  @Test
  void aLoopbackFastTunnelIsNotCompressed() {
    AutoRule rule = new AutoRule(COMPRESSOR);
    measure(rule, 1200 * MIB, T0);

    assertThat(rule.compress(T0 + SECOND)).isFalse();
  }

  @Test
  void aRateEqualToTheCompressorsIsNotCompressed() {
    AutoRule rule = new AutoRule(COMPRESSOR);
    measure(rule, COMPRESSOR, T0);

    assertThat(rule.compress(T0)).isFalse();
  }

  @Test
  void anOldEstimateIsMeasuredAgainBeforeCompressing() {
    AutoRule rule = new AutoRule(COMPRESSOR);
    measure(rule, 10 * MIB, T0);

    assertThat(rule.compress(T0 + AutoRule.FRESH_NANOS - 1)).isTrue();
    assertThat(rule.compress(T0 + AutoRule.FRESH_NANOS)).isFalse();
  }

  @Test
  void samplesAreSmoothedSoOneOutlierDoesNotFlipTheDecision() {
    AutoRule rule = new AutoRule(COMPRESSOR);
    measure(rule, 10 * MIB, T0);
    measure(rule, 700 * MIB, T0 + SECOND); // (10 + 700) / 2 = 355 MiB/s: still below 400

    assertThat(rule.estimateBytesPerSecond()).isEqualTo(355 * MIB);
    assertThat(rule.compress(T0 + SECOND)).isTrue();

    measure(rule, 700 * MIB, T0 + 2 * SECOND); // 527.5 MiB/s: the link got fast, compression stops
    assertThat(rule.compress(T0 + 2 * SECOND)).isFalse();
  }

  @Test
  void aSampleAfterTheEstimateWentStaleReplacesIt() {
    AutoRule rule = new AutoRule(COMPRESSOR);
    measure(rule, 10 * MIB, T0);
    measure(rule, 900 * MIB, T0 + AutoRule.FRESH_NANOS + SECOND);

    assertThat(rule.estimateBytesPerSecond()).isEqualTo(900 * MIB);
  }

  @Test
  void nothingIsCompressedUntilTheCompressorRateIsKnown() {
    double[] compressor = {0}; // not measured yet (the client measures after it is ready)
    AutoRule rule = new AutoRule(() -> compressor[0]);
    measure(rule, 10 * MIB, T0);

    assertThat(rule.compress(T0 + SECOND)).isFalse();

    compressor[0] = COMPRESSOR;
    assertThat(rule.compress(T0 + SECOND)).isTrue();
  }

  @Test
  void aRateMeasuredInTheBackgroundBecomesKnown() {
    CompressorRate.measureInBackground();
    double rate = CompressorRate.zstdBytesPerSecond(); // waits for the measurement, whoever runs it

    assertThat(CompressorRate.zstdBytesPerSecondIfKnown()).isEqualTo(rate).isPositive();
  }

  @Test
  void aCompressorRateMustBePositive() {
    assertThatThrownBy(() -> new AutoRule(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: > 0");
  }

  @Test
  void theCalibratedZstdRateIsPlausible() {
    // not a speed assertion: a measurement between 1 MiB/s and 100 GiB/s means the calibration ran and divided
    // bytes by seconds the right way round
    assertThat(CompressorRate.zstdBytesPerSecond()).isBetween(MIB, 100 * 1024 * MIB);
  }
}
