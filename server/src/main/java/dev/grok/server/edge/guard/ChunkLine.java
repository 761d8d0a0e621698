package dev.grok.server.edge.guard;

import dev.grok.server.edge.guard.EdgeRefusal.Refused;

/**
 * Parses one chunk-size line of a chunked request body (RFC 9112 7.1), without its CRLF: hex digits, then
 * optional extensions {@code ;name[=token|"quoted"]}. The size must fit a signed 64-bit count (2^68 and friends
 * are refused, not wrapped), and extensions count against a per-request cap, so a body of tiny chunks with huge
 * extensions cannot make the edge parse without end.
 */
final class ChunkLine {
  private ChunkLine() {}

  /**
   * The chunk size of {@code line[0, len)}; {@code extensionBudget} is what the request may still spend on
   * extensions, {@code spent[0]} receives what this line spent.
   */
  static long parse(byte[] line, int len, int extensionBudget, int[] spent) throws Refused {
    int i = 0;
    long size = 0;
    while (i < len && Http1Syntax.hexValue(line[i]) >= 0) {
      if (size > (Long.MAX_VALUE >>> 4)) {
        throw new Refused("chunk_size_overflow", "A chunk size does not fit in 63 bits: '"
            + Http1Syntax.show(line, 0, len) + "'.");
      }
      size = (size << 4) | Http1Syntax.hexValue(line[i]);
      i++;
    }
    if (i == 0) {
      throw new Refused("invalid_chunk_size", "A chunk-size line must start with hex digits; got '"
          + Http1Syntax.show(line, 0, len) + "'.");
    }
    int extStart = i;
    while (i < len) {
      i = skipBws(line, i, len);
      if (i >= len || line[i] != ';') {
        throw new Refused("invalid_chunk_size", "A chunk size is followed by something other than an "
            + "extension: '" + Http1Syntax.show(line, 0, len) + "'.");
      }
      i = skipBws(line, i + 1, len);
      int nameStart = i;
      while (i < len && Http1Syntax.isTchar(line[i])) {
        i++;
      }
      if (i == nameStart) {
        throw new Refused("invalid_chunk_extension", "A chunk extension has no name: '"
            + Http1Syntax.show(line, 0, len) + "'.");
      }
      int afterName = skipBws(line, i, len);
      if (afterName < len && line[afterName] == '=') {
        i = skipBws(line, afterName + 1, len);
        i = value(line, i, len);
      }
    }
    spent[0] = len - extStart;
    if (spent[0] > extensionBudget) {
      throw new Refused("chunk_extension_too_long", "The chunk extensions of this request exceed "
          + Http1Framer.MAX_CHUNK_EXTENSION_BYTES + " bytes.");
    }
    return size;
  }

  private static int skipBws(byte[] line, int i, int len) {
    while (i < len && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** A token or a quoted-string starting at {@code i}; the index after it. */
  private static int value(byte[] line, int i, int len) throws Refused {
    if (i < len && line[i] == '"') {
      i++;
      while (i < len && line[i] != '"') {
        int c = line[i] & 0xff;
        if (c == '\\') {
          i++;
          if (i >= len || !Http1Syntax.isFieldValueByte(line[i])) {
            break;
          }
        } else if (!Http1Syntax.isFieldValueByte(c)) {
          break;
        }
        i++;
      }
      if (i >= len || line[i] != '"') {
        throw new Refused("invalid_chunk_extension", "A chunk extension has a broken quoted value.");
      }
      return i + 1;
    }
    int start = i;
    while (i < len && Http1Syntax.isTchar(line[i])) {
      i++;
    }
    if (i == start) {
      throw new Refused("invalid_chunk_extension", "A chunk extension has an empty value.");
    }
    return i;
  }

  /**
   * Checks the trailer section {@code b[0, len)} (field lines, each ending CRLF, then the empty line): the same
   * rules as header lines, no folding, no whitespace before a colon, no control byte.
   */
  static void checkTrailers(byte[] b, int len) throws Refused {
    int start = 0;
    while (start < len - 2) {
      int end = Http1HeadValidator.indexOfCrlf(b, start, len);
      if (b[start] == ' ' || b[start] == '\t') {
        throw new Refused("obs_fold", "A trailer line starts with whitespace (obsolete line folding).");
      }
      int colon = start;
      while (colon < end && Http1Syntax.isTchar(b[colon])) {
        colon++;
      }
      if (colon == start || colon >= end || b[colon] != ':') {
        throw new Refused("invalid_trailer", "A trailer line is not NAME: VALUE: '"
            + Http1Syntax.show(b, start, end) + "'.");
      }
      for (int i = colon + 1; i < end; i++) {
        if (!Http1Syntax.isFieldValueByte(b[i])) {
          throw new Refused("control_in_header", "A trailer value holds a control byte.");
        }
      }
      start = end + 2;
    }
  }
}
