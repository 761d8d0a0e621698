package dev.grok.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generates raw tokens and printable ids, and hashes raw tokens for storage. Thread-safe. */
final class TokenSecrets {
  /** Prefix of every raw token, so that a leaked one is recognisable (secret scanners, logs). */
  static final String TOKEN_PREFIX = "grok_";

  /** 192 bits of entropy: far beyond guessing, and short enough to paste (32 base64url characters). */
  static final int TOKEN_RANDOM_BYTES = 24;

  /** Random characters after an id's prefix: 36^10 is about 3.7e15 ids, collisions are not a concern. */
  static final int ID_RANDOM_CHARS = 10;

  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  /** {@code grok_} followed by the unpadded base64url encoding of 24 random bytes. */
  static String newRawToken() {
    byte[] bytes = new byte[TOKEN_RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code prefix} followed by {@value #ID_RANDOM_CHARS} random characters of {@code [a-z0-9]}. */
  static String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix.length() + ID_RANDOM_CHARS).append(prefix);
    for (int i = 0; i < ID_RANDOM_CHARS; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  /** Lowercase hex SHA-256 of the token's UTF-8 bytes: what the database stores and looks up. */
  static String hash(String rawToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawToken.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
