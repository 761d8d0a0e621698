package dev.grok.server.auth;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** RFC 4648 base32 without padding, the form authenticator apps take TOTP secrets in. */
final class Base32 {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Base32() {}

  static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** Decodes, ignoring case, spaces and padding; throws IllegalArgumentException on any other character. */
  static byte[] decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == ' ' || c == '=') {
        continue;
      }
      int v = ALPHABET.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("base32: '" + c + "' (expected: A-Z or 2-7)");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
