package dev.grok.server.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code USER:PASS} a tunnel's visitors must send (HTTP Basic, RFC 7617), kept only as a salted SHA-256.
 *
 * <p>Why SHA-256 and not a slow KDF (PBKDF2): the check runs on an edge event loop for every request, and every
 * wrong guess would cost a full KDF there, so any visitor could burn an edge thread with bad headers. The secret lives
 * only in memory, for the tunnel's life, and is never stored; the salt keeps equal passwords of two tunnels apart
 * and a heap dump from revealing a password by lookup. Digests are compared in constant time.
 */
public final class BasicAuth {
  /** The challenge of a 401: the realm is always {@code grok}. */
  public static final String CHALLENGE = "Basic realm=\"grok\"";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SALT_BYTES = 16;
  private static final String SCHEME = "basic ";

  private final byte[] salt;
  private final byte[] digest;

  private BasicAuth(byte[] salt, byte[] digest) {
    this.salt = salt;
    this.digest = digest;
  }

  /**
   * The credential of {@code userPass}; null when it is empty (no basic auth).
   *
   * @throws IllegalArgumentException when it is not {@code USER:PASS} with both parts non-empty
   */
  public static BasicAuth of(String userPass) {
    if (userPass == null || userPass.isEmpty()) {
      return null;
    }
    int colon = userPass.indexOf(':');
    if (colon < 1 || colon == userPass.length() - 1) {
      throw new IllegalArgumentException("basic auth: expected USER:PASS with a non-empty user and password");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new BasicAuth(salt, hash(salt, userPass.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether an {@code Authorization} header value (null when absent) carries these credentials. */
  public boolean admits(String authorization) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).strip());
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(digest, hash(salt, decoded));
  }

  private static byte[] hash(byte[] salt, byte[] userPass) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return sha.digest(userPass);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "BasicAuth[hidden]";
  }
}
