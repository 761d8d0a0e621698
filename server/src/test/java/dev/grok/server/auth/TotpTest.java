package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {
  /** RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
  private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  private final AtomicLong nowMillis = new AtomicLong();
  private final Totp totp = new Totp(nowMillis::get);

  @ParameterizedTest(name = "T = {0} s -> {1}")
  @CsvSource({"59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
      "2000000000, 69279037", "20000000000, 65353130"})
  void rfc6238TestVectorsForSha1(long epochSeconds, String expected) {
    assertThat(Totp.code(RFC_SEED, epochSeconds / Totp.STEP_SECONDS, 8)).isEqualTo(expected);
    // The 6-digit code that apps show is the same number modulo 10^6.
    assertThat(Totp.code(RFC_SEED, epochSeconds / Totp.STEP_SECONDS, 6)).isEqualTo(expected.substring(2));
  }

  @Test
  void base32RoundTripsTheRfcSeed() {
    String secret = Base32.encode(RFC_SEED);
    assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assertThat(Base32.decode(secret.toLowerCase())).isEqualTo(RFC_SEED);
  }

  @Test
  void codeOfTheCurrentStepVerifiesAndReportsItsStep() {
    nowMillis.set(1_111_111_111_000L);
    String secret = Base32.encode(RFC_SEED);
    assertThat(totp.verify(secret, "050471", null)).hasValue(1_111_111_111L / 30);
  }

  @Test
  void oneStepOfSkewEitherSideIsAcceptedNotTwo() {
    String secret = totp.newSecret();
    nowMillis.set(1_000_000_020_000L);
    long step = 1_000_000_020L / 30;
    byte[] key = Base32.decode(secret);
    assertThat(totp.verify(secret, Totp.code(key, step - 1, 6), null)).hasValue(step - 1);
    assertThat(totp.verify(secret, Totp.code(key, step + 1, 6), null)).hasValue(step + 1);
    assertThat(totp.verify(secret, Totp.code(key, step - 2, 6), null)).isEmpty();
    assertThat(totp.verify(secret, Totp.code(key, step + 2, 6), null)).isEmpty();
  }

  @Test
  void aCodeOfAStepUsedAlreadyOrEarlierIsRefused() {
    String secret = totp.newSecret();
    nowMillis.set(1_700_000_000_000L);
    String code = totp.codeNow(secret);
    long step = totp.verify(secret, code, null).orElseThrow();

    assertThat(totp.verify(secret, code, step)).isEmpty();
    assertThat(totp.verify(secret, Totp.code(Base32.decode(secret), step - 1, 6), step)).isEmpty();
    nowMillis.addAndGet(30_000);
    assertThat(totp.verify(secret, totp.codeNow(secret), step)).hasValue(step + 1);
  }

  @Test
  void malformedCodesAreRefused() {
    String secret = totp.newSecret();
    assertThat(totp.verify(secret, null, null)).isEmpty();
    assertThat(totp.verify(secret, "12345", null)).isEmpty();
    assertThat(totp.verify(secret, "1234567", null)).isEmpty();
    assertThat(totp.verify(secret, "12a456", null)).isEmpty();
  }

  @Test
  void otpauthUrlCarriesSecretIssuerAndParameters() {
    assertThat(Totp.otpauthUrl("grok", "alice@example.com", "ABC"))
        .isEqualTo("otpauth://totp/grok:alice%40example.com?secret=ABC&issuer=grok&algorithm=SHA1&digits=6&period=30");
  }
}
