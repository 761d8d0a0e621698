package dev.grok.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}), so a hash
 * carries its own parameters and stronger ones can be chosen later without breaking old hashes.
 *
 * <p>Why Bouncy Castle's {@link Argon2BytesGenerator}: Argon2id is the memory-hard function that OWASP and RFC 9106
 * recommend; Bouncy Castle is pure Java (argon2-jvm needs a native library that the jar would have to carry per
 * platform) and maintained by a long-standing project with regular security releases. The default parameters are
 * OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane; about 50 ms of one core.
 *
 * <p>Hashing is slow by design: callers run it on the admin executor or the CLI thread, never on an event loop.
 * Thread-safe.
 */
public final class PasswordHasher {
  /** OWASP's minimum for Argon2id (Password Storage Cheat Sheet). */
  public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
  public static final int DEFAULT_ITERATIONS = 2;
  static final int PARALLELISM = 1;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;
  /** Longer passwords are refused: hashing a megabyte would be a cheap way to burn CPU. */
  public static final int MAX_PASSWORD_CHARS = 1024;
  public static final int MIN_PASSWORD_CHARS = 8;

  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final int memoryKib;
  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  /**
   * Verified against when the email is unknown, so that the answer takes as long as for a known one: a PHC string
   * with this hasher's parameters and a random salt and "hash" (no password derives to it). It is made without
   * running Argon2, so that a server that never signs anyone in never allocates the function's memory (a server in
   * a 32 MiB heap, ServeLargeFileTest, ran out of memory at start when this was a real hash).
   */
  private final String decoy;

  public PasswordHasher() {
    this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS);
  }

  /** Other parameters: tests use small ones; every hash made here records them. */
  public PasswordHasher(int memoryKib, int iterations) {
    if (memoryKib < 8 || iterations < 1) {
      throw new IllegalArgumentException("argon2: m=" + memoryKib + ", t=" + iterations
          + " (expected: m >= 8 KiB, t >= 1)");
    }
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    byte[] salt = new byte[SALT_BYTES];
    byte[] nothing = new byte[HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(nothing);
    this.decoy = "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + PARALLELISM + "$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(nothing);
  }

  /** A new PHC string for {@code password} with a fresh random salt. */
  public String hash(String password) {
    checkPassword(password);
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = derive(password, salt, memoryKib, iterations, HASH_BYTES);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
        + "$" + B64.encodeToString(out);
  }

  /**
   * Whether {@code password} matches {@code phc}, in constant time over the hash. A null phc (no password set)
   * matches nothing but costs the same time as a real check.
   */
  public boolean verify(String password, String phc) {
    if (password == null || password.length() > MAX_PASSWORD_CHARS) {
      return false;
    }
    Matcher m = PHC.matcher(phc == null ? decoy : phc);
    if (!m.matches()) {
      m = PHC.matcher(decoy);
      m.matches();
      phc = null;
    }
    int memory = Integer.parseInt(m.group(1));
    int passes = Integer.parseInt(m.group(2));
    byte[] salt = B64D.decode(m.group(4));
    byte[] expected = B64D.decode(m.group(5));
    byte[] actual = derive(password, salt, memory, passes, expected.length);
    return MessageDigest.isEqual(actual, expected) && phc != null;
  }

  /** Refuses a password that is too short or too long, saying the limits. */
  public static void checkPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD_CHARS || password.length() > MAX_PASSWORD_CHARS) {
      throw new AccountException(AccountException.Kind.INVALID, "password: " + (password == null ? "missing"
          : password.length() + " characters") + " (expected: " + MIN_PASSWORD_CHARS + "-" + MAX_PASSWORD_CHARS
          + " characters)");
    }
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(PARALLELISM)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
