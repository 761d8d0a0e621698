package dev.grok.server.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as RFC 6238 defines them and authenticator apps expect: HMAC-SHA-1, 6 digits,
 * 30-second steps counted from the Unix epoch. A code is accepted for its own step and one step either side (clock
 * skew between phone and server); the caller stores the step that matched and passes it back as {@code lastStep},
 * so a code, and any code of an earlier step, is usable once. The clock is injected so tests control time.
 */
public final class Totp {
  public static final int DIGITS = 6;
  public static final long STEP_SECONDS = 30;
  /** Steps accepted either side of now. */
  public static final int SKEW_STEPS = 1;
  /** 160 bits, the HMAC-SHA-1 block-friendly size RFC 4226 recommends. */
  static final int SECRET_BYTES = 20;

  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private final LongSupplier clockMillis;
  private final SecureRandom random = new SecureRandom();

  /** {@code clockMillis}: epoch milliseconds ({@code System::currentTimeMillis} in production). */
  public Totp(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /** A new random secret, base32. */
  public String newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return Base32.encode(secret);
  }

  /** The {@code otpauth://} URL that authenticator apps scan (as a QR code) or take pasted. */
  public static String otpauthUrl(String issuer, String account, String secret) {
    String label = enc(issuer) + ":" + enc(account);
    return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + enc(issuer) + "&algorithm=SHA1&digits="
        + DIGITS + "&period=" + STEP_SECONDS;
  }

  /** The step that {@code code} matches within the skew, later than {@code lastStep} (null: none used yet). */
  public OptionalLong verify(String secret, String code, Long lastStep) {
    if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    long now = Math.floorDiv(clockMillis.getAsLong(), STEP_SECONDS * 1000);
    byte[] key = Base32.decode(secret);
    for (long step = now - SKEW_STEPS; step <= now + SKEW_STEPS; step++) {
      if ((lastStep == null || step > lastStep)
          && java.security.MessageDigest.isEqual(code(key, step, DIGITS).getBytes(StandardCharsets.US_ASCII),
              code.getBytes(StandardCharsets.US_ASCII))) {
        return OptionalLong.of(step);
      }
    }
    return OptionalLong.empty();
  }

  /** The code of this secret now (what an authenticator app shows); for tests and tools. */
  public String codeNow(String secret) {
    return code(Base32.decode(secret), Math.floorDiv(clockMillis.getAsLong(), STEP_SECONDS * 1000), DIGITS);
  }

  /** The code of this secret at {@code epochMillis}: tests use the next step's code, which the skew accepts. */
  public static String codeAt(String secret, long epochMillis) {
    return code(Base32.decode(secret), Math.floorDiv(epochMillis, STEP_SECONDS * 1000), DIGITS);
  }

  /** RFC 4226 HOTP of {@code counter}: HMAC-SHA-1, dynamic truncation, {@code digits} decimal digits. */
  static String code(byte[] key, long counter, int digits) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(counter).array());
      int offset = h[h.length - 1] & 0x0f;
      int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
          | (h[offset + 3] & 0xff);
      String s = Integer.toString(binary % POWERS[digits]);
      return "0".repeat(digits - s.length()) + s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
