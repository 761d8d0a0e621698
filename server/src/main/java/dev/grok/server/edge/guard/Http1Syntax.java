package dev.grok.server.edge.guard;

/** The byte classes of RFC 9110/9112 that the guard checks, as lookups on one byte. */
final class Http1Syntax {
  private Http1Syntax() {}

  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  /** RFC 9110 5.6.2 tchar. */
  static boolean isTchar(int b) {
    return TCHAR[b & 0xff];
  }

  /** A field value byte: HTAB, SP, VCHAR or obs-text; never NUL, CR, LF, other controls or DEL. */
  static boolean isFieldValueByte(int b) {
    int c = b & 0xff;
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  }

  /** A request-target byte: visible ASCII only (no space, control, DEL or 8-bit byte). */
  static boolean isTargetByte(int b) {
    int c = b & 0xff;
    return c > 0x20 && c < 0x7f;
  }

  static boolean isToken(CharSequence s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xff || !isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} as US-ASCII bytes. */
  static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** {@code b[from, to)} is {@code lowerName}, ignoring ASCII case: compared in place, no lower-cased copy. */
  static boolean nameIs(byte[] b, int from, int to, byte[] lowerName) {
    if (to - from != lowerName.length) {
      return false;
    }
    for (int i = 0; i < lowerName.length; i++) {
      int c = b[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lowerName[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code b[from, to)} is {@code HTTP/DIGIT.DIGIT} (which versions are served is the caller's check). */
  static boolean isVersion(byte[] b, int from, int to) {
    return to - from == 8 && b[from] == 'H' && b[from + 1] == 'T' && b[from + 2] == 'T' && b[from + 3] == 'P'
        && b[from + 4] == '/' && isDigit(b[from + 5]) && b[from + 6] == '.' && isDigit(b[from + 7]);
  }

  private static boolean isDigit(int b) {
    return b >= '0' && b <= '9';
  }

  static int hexValue(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  /** The bytes as text for an error message: printable ASCII kept, others as {@code \xNN}, cut at 60. */
  static String show(byte[] bytes, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to && b.length() < 60; i++) {
      int c = bytes[i] & 0xff;
      if (c >= 0x20 && c < 0x7f) {
        b.append((char) c);
      } else {
        b.append(String.format("\\x%02x", c));
      }
    }
    return b.toString();
  }
}
