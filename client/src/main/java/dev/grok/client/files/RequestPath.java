package dev.grok.client.files;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The path of a request-target, decoded once and split into the names under the served directory. Every form that
 * could name something outside it is refused rather than normalised: a {@code ..} segment (also as {@code %2e%2e}
 * in any case), an encoded slash ({@code %2f}), a backslash ({@code \} or {@code %5c}), NUL ({@code %00}) and other
 * control characters, malformed escapes and invalid UTF-8. Decoding happens exactly once, so a double-encoded
 * {@code %252e} stays the literal name {@code %2e}. Empty and {@code .} segments are dropped, so {@code //etc}
 * still names {@code etc} under the directory.
 *
 * @param rawPath the path as received (still encoded), for redirects
 * @param query the query without {@code ?}, null when there is none
 * @param names the decoded names, outermost first; empty for the directory itself
 * @param trailingSlash the path ends with {@code /} (a directory was asked for)
 */
record RequestPath(String rawPath, String query, List<String> names, boolean trailingSlash) {

  /** Thrown for a path that is refused; the message says why, for the visitor. */
  static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses an origin-form ({@code /a/b?q}) or absolute-form ({@code http://host/a/b?q}) request-target. */
  static RequestPath parse(String target) throws RefusedException {
    String t = target;
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      int slash = t.indexOf('/', lower.indexOf("//") + 2);
      t = slash < 0 ? "/" : t.substring(slash);
    }
    int hash = t.indexOf('#');
    if (hash >= 0) {
      t = t.substring(0, hash);
    }
    int question = t.indexOf('?');
    String rawPath = question < 0 ? t : t.substring(0, question);
    String query = question < 0 ? null : t.substring(question + 1);
    if (!rawPath.startsWith("/")) {
      throw new RefusedException("the path must start with '/': " + rawPath);
    }
    List<String> names = new ArrayList<>();
    for (String rawName : rawPath.substring(1).split("/", -1)) {
      String name = decode(rawName);
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        throw new RefusedException("'..' is not allowed in a path");
      }
      names.add(name);
    }
    return new RequestPath(rawPath, query, List.copyOf(names), rawPath.endsWith("/"));
  }

  /** The names joined with {@code /}, e.g. {@code docs/a b.txt}; empty for the directory itself. */
  String relative() {
    return String.join("/", names);
  }

  /** The last name, or empty for the directory itself. */
  String lastName() {
    return names.isEmpty() ? "" : names.getLast();
  }

  /** Percent-decodes one segment as UTF-8 ('+' stays '+': it is not a space in a path). */
  private static String decode(String raw) throws RefusedException {
    if (raw.indexOf('\\') >= 0) {
      throw new RefusedException("backslashes are not allowed in a path");
    }
    if (raw.indexOf('%') < 0) {
      checkChars(raw);
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (lo < 0) {
        throw new RefusedException("malformed percent-escape in the path");
      }
      bytes.write(hi << 4 | lo);
      i += 2;
    }
    String name;
    try {
      name = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RefusedException("the path is not valid UTF-8");
    }
    if (name.indexOf('/') >= 0) {
      throw new RefusedException("encoded slashes (%2F) are not allowed in a path");
    }
    if (name.indexOf('\\') >= 0) {
      throw new RefusedException("backslashes are not allowed in a path");
    }
    checkChars(name);
    return name;
  }

  private static void checkChars(String name) throws RefusedException {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new RefusedException("control characters (such as NUL) are not allowed in a path");
      }
    }
  }
}
