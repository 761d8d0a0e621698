package dev.grok.client.files;

/**
 * A single byte range of a {@code Range} header, resolved against the file's length ({@code bytes=A-B},
 * {@code bytes=A-}, {@code bytes=-N}).
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
record ByteRange(long first, long last) {
  /** The whole file is served (no header, a malformed one, or several ranges: a 200 is a valid answer to those). */
  static final ByteRange WHOLE = new ByteRange(0, -1);
  /** Nothing of the file satisfies the header: 416. */
  static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

  /** The range {@code header} (null when absent) asks of a file of {@code length} bytes. */
  static ByteRange parse(String header, long length) {
    if (header == null) {
      return WHOLE;
    }
    String h = header.strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
      return WHOLE;
    }
    String spec = h.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return WHOLE;
    }
    try {
      String from = spec.substring(0, dash).strip();
      String to = spec.substring(dash + 1).strip();
      if (from.isEmpty()) {
        long suffix = Long.parseLong(to);
        if (suffix <= 0 || length == 0) {
          return suffix < 0 ? WHOLE : UNSATISFIABLE;
        }
        return new ByteRange(Math.max(0, length - suffix), length - 1);
      }
      long first = Long.parseLong(from);
      long last = to.isEmpty() ? Long.MAX_VALUE : Long.parseLong(to);
      if (first < 0 || last < first) {
        return WHOLE;
      }
      if (first >= length) {
        return UNSATISFIABLE;
      }
      return new ByteRange(first, Math.min(last, length - 1));
    } catch (NumberFormatException e) {
      return WHOLE;
    }
  }

  boolean isPartial() {
    return first >= 0 && last >= first;
  }

  long length() {
    return last - first + 1;
  }
}
