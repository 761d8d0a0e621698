package dev.grok.server.edge.guard;

import dev.grok.common.Limits;
import dev.grok.server.edge.guard.EdgeRefusal.Refused;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Validates one complete HTTP/1.1 request head (request line, header lines, the empty line) against RFC 9112 and
 * tells how its body is framed. Everything a request smuggler plays with is refused here, before a single byte
 * reaches Netty's decoder: bare CR or LF, obsolete line folding, whitespace before a colon, control bytes in a
 * name or value, Content-Length that is not exactly {@code 1*DIGIT} or appears twice, any Transfer-Encoding but
 * one final {@code chunked} (501 for a coding we do not implement), both framings at once, a Host missing or
 * repeated, a malformed request line. An absolute-form target is routed by its own authority: the head is
 * rewritten to origin-form with {@code Host} set to that authority, so that routing, {@code X-Forwarded-Host}
 * and the local service all see the same host. Stateless; see docs/security.md for the table of rules.
 */
final class Http1HeadValidator {
  /** Header lines one request may carry (Apache's LimitRequestFields); more get 431. */
  static final int MAX_HEADER_COUNT = 100;

  private Http1HeadValidator() {}

  private static final byte[] HOST = Http1Syntax.ascii("host");
  private static final byte[] CONTENT_LENGTH = Http1Syntax.ascii("content-length");
  private static final byte[] TRANSFER_ENCODING = Http1Syntax.ascii("transfer-encoding");

  /** How the body of a valid head is framed. */
  enum Framing { NONE, FIXED, CHUNKED }

  /**
   * A head that passed.
   *
   * @param framing how its body is delimited
   * @param contentLength body bytes with {@link Framing#FIXED}, else 0
   * @param bytes what to hand to the decoder: the head as received, or rewritten from absolute-form
   */
  record Valid(Framing framing, long contentLength, byte[] bytes) {}

  /** {@code head} holds exactly one head, ending with CRLF CRLF, without leading empty lines. */
  static Valid validate(byte[] head) throws Refused {
    int len = head.length;
    checkLineEndings(head, len);
    int lineEnd = indexOfCrlf(head, 0, len);
    if (lineEnd > Limits.MAX_INITIAL_LINE_BYTES) {
      throw new Refused(new EdgeRefusal(414, "uri_too_long", "The request line is longer than "
          + Limits.MAX_INITIAL_LINE_BYTES + " bytes. Shorten the URL."));
    }
    String method;
    String target;
    String version;
    {
      int sp1 = indexOf(head, (byte) ' ', 0, lineEnd);
      int sp2 = sp1 < 0 ? -1 : indexOf(head, (byte) ' ', sp1 + 1, lineEnd);
      if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOf(head, (byte) ' ', sp2 + 1, lineEnd) >= 0) {
        throw new Refused("malformed_request_line", "The request line must be METHOD SP TARGET SP HTTP/1.1 with "
            + "single spaces; got '" + Http1Syntax.show(head, 0, lineEnd) + "'.");
      }
      for (int i = 0; i < sp1; i++) {
        if (!Http1Syntax.isTchar(head[i])) {
          throw new Refused("malformed_request_line", "The method is not a token: '"
              + Http1Syntax.show(head, 0, sp1) + "'.");
        }
      }
      for (int i = sp1 + 1; i < sp2; i++) {
        if (!Http1Syntax.isTargetByte(head[i])) {
          throw new Refused("malformed_request_line", "The request target holds a byte that must be "
              + "percent-encoded: '" + Http1Syntax.show(head, sp1 + 1, sp2) + "'.");
        }
      }
      method = ascii(head, 0, sp1);
      target = ascii(head, sp1 + 1, sp2);
      version = ascii(head, sp2 + 1, lineEnd);
    }
    if (!Http1Syntax.isVersion(head, lineEnd - version.length(), lineEnd)) {
      throw new Refused("malformed_request_line", "The protocol version must be HTTP/1.1 or HTTP/1.0; got '"
          + Http1Syntax.show(head, version.length() > 0 ? lineEnd - version.length() : 0, lineEnd) + "'.");
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new Refused(new EdgeRefusal(505, "unsupported_version", "Only HTTP/1.1 and HTTP/1.0 are served "
          + "over this connection (HTTP/2 by prior knowledge or ALPN); got " + version + "."));
    }
    boolean http11 = version.equals("HTTP/1.1");

    int headerCount = 0;
    int hostCount = 0;
    String host = null;
    int hostLineStart = -1;
    int hostLineEnd = -1;
    int contentLengthCount = 0;
    long contentLength = -1;
    int teCount = 0;
    String te = null;
    for (int start = lineEnd + 2; start < len - 2; ) {
      int end = indexOfCrlf(head, start, len);
      if (++headerCount > MAX_HEADER_COUNT) {
        throw new Refused(new EdgeRefusal(431, "too_many_headers", "The request has more than "
            + MAX_HEADER_COUNT + " header lines. Send fewer headers."));
      }
      if (head[start] == ' ' || head[start] == '\t') {
        throw new Refused("obs_fold", "A header line starts with whitespace (obsolete line folding), which is "
            + "not accepted: put each header on one line.");
      }
      int colon = indexOf(head, (byte) ':', start, end);
      if (colon < 0) {
        throw new Refused("invalid_header", "A header line has no colon: '" + Http1Syntax.show(head, start, end)
            + "'.");
      }
      if (colon == start) {
        throw new Refused("invalid_header_name", "A header line has an empty name.");
      }
      for (int i = start; i < colon; i++) {
        byte b = head[i];
        if (b == ' ' || b == '\t') {
          throw new Refused("whitespace_before_colon", "Whitespace between a header name and its colon is not "
              + "allowed: '" + Http1Syntax.show(head, start, colon + 1) + "'.");
        }
        if (!Http1Syntax.isTchar(b)) {
          throw new Refused("invalid_header_name", "A header name holds a byte that is not a token character: '"
              + Http1Syntax.show(head, start, colon) + "'.");
        }
      }
      for (int i = colon + 1; i < end; i++) {
        if (!Http1Syntax.isFieldValueByte(head[i])) {
          throw new Refused("control_in_header", "The value of header '" + ascii(head, start, colon)
              + "' holds a control byte (" + String.format("0x%02x", head[i] & 0xff) + ").");
        }
      }
      // the three names that matter here, compared in place (no lower-cased copy of every name)
      if (Http1Syntax.nameIs(head, start, colon, HOST)) {
        hostCount++;
        host = trimmedValue(head, colon + 1, end);
        hostLineStart = start;
        hostLineEnd = end + 2;
      } else if (Http1Syntax.nameIs(head, start, colon, CONTENT_LENGTH)) {
        contentLengthCount++;
        contentLength = parseContentLength(trimmedValue(head, colon + 1, end));
      } else if (Http1Syntax.nameIs(head, start, colon, TRANSFER_ENCODING)) {
        teCount++;
        te = trimmedValue(head, colon + 1, end);
      }
      start = end + 2;
    }

    if (contentLengthCount > 1) {
      throw new Refused("duplicate_content_length", "Content-Length appears " + contentLengthCount
          + " times; send it once.");
    }
    if (teCount > 1) {
      throw new Refused("invalid_transfer_encoding", "Transfer-Encoding appears " + teCount
          + " times; send one line 'Transfer-Encoding: chunked'.");
    }
    if (teCount == 1) {
      checkTransferEncoding(te);
      if (!http11) {
        throw new Refused("invalid_transfer_encoding", "Transfer-Encoding is not defined for HTTP/1.0 requests.");
      }
      if (contentLengthCount > 0) {
        throw new Refused("cl_and_te", "The request has both Content-Length and Transfer-Encoding; send one.");
      }
    }

    byte[] forward = head;
    if (target.charAt(0) == '/') {
      if (target.indexOf('#') >= 0) {
        throw new Refused("invalid_target", "The request target holds a fragment ('#'); fragments stay in the "
            + "browser.");
      }
    } else if (target.equals("*")) {
      if (!method.equals("OPTIONS")) {
        throw new Refused("invalid_target", "The target '*' is only for OPTIONS.");
      }
    } else if (method.equals("CONNECT")) {
      throw new Refused("invalid_target", "CONNECT is not served: this is not a forward proxy.");
    } else {
      AbsoluteTarget absolute = AbsoluteTarget.parse(target);
      if (absolute == null) {
        throw new Refused("invalid_target", "The request target must be a path such as /index.html or an "
            + "absolute http(s) URL; got '" + shorten(target) + "'.");
      }
      checkHost(absolute.authority());
      host = absolute.authority();
      forward = rewrite(head, method, absolute, version, hostLineStart, hostLineEnd, lineEnd);
      hostCount = 1;
    }
    if (hostCount > 1) {
      throw new Refused("repeated_host", "The request has " + hostCount + " Host headers; send exactly one.");
    }
    if (hostCount == 0 && http11) {
      throw new Refused("missing_host", "HTTP/1.1 requests must carry one Host header naming the tunnel.");
    }
    if (host != null) {
      checkHost(host);
    }
    if (teCount == 1) {
      return new Valid(Framing.CHUNKED, 0, forward);
    }
    if (contentLength > 0) {
      return new Valid(Framing.FIXED, contentLength, forward);
    }
    return new Valid(Framing.NONE, 0, forward);
  }

  /** Every LF has its CR before it, every CR its LF after it. */
  private static void checkLineEndings(byte[] head, int len) throws Refused {
    for (int i = 0; i < len; i++) {
      if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) {
        throw new Refused("bare_lf", "A line of the request head ends with a bare LF; HTTP/1.1 lines end with CRLF.");
      }
      if (head[i] == '\r' && (i + 1 >= len || head[i + 1] != '\n')) {
        throw new Refused("bare_cr", "The request head holds a CR that is not followed by LF.");
      }
    }
  }

  /** RFC 9112 6.3: exactly {@code 1*DIGIT}; a list, a sign or a value beyond 2^63-1 is refused. */
  static long parseContentLength(String value) throws Refused {
    if (value.isEmpty() || value.length() > 19) {
      throw new Refused("invalid_content_length", "Content-Length must be a decimal number of bytes; got '"
          + shorten(value) + "'.");
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new Refused("invalid_content_length", "Content-Length must be a decimal number of bytes; got '"
            + shorten(value) + "'.");
      }
      n = n * 10 + (c - '0');
      if (n < 0) {
        throw new Refused("invalid_content_length", "Content-Length " + shorten(value) + " is too large.");
      }
    }
    return n;
  }

  /** Exactly one coding, {@code chunked}: anything else we do not decode is 501, anything malformed 400. */
  private static void checkTransferEncoding(String value) throws Refused {
    String[] codings = value.split(",", -1);
    for (String raw : codings) {
      String coding = raw.strip();
      if (!Http1Syntax.isToken(coding)) {
        throw new Refused("invalid_transfer_encoding", "Transfer-Encoding must be 'chunked'; got '"
            + shorten(value) + "'.");
      }
    }
    for (String raw : codings) {
      String coding = raw.strip();
      if (!coding.equalsIgnoreCase("chunked")) {
        throw new Refused(new EdgeRefusal(501, "unknown_transfer_coding", "The transfer coding '"
            + shorten(coding) + "' is not implemented; send 'Transfer-Encoding: chunked' or Content-Length."));
      }
    }
    if (codings.length != 1) {
      throw new Refused("invalid_transfer_encoding", "'chunked' may be applied only once; got '"
          + shorten(value) + "'.");
    }
  }

  /** uri-host [ ":" port ]: a reg-name or an IP literal; no userinfo, path, space or control byte. */
  private static void checkHost(String host) throws Refused {
    boolean ok = !host.isEmpty() && host.length() <= 300;
    int colon = host.lastIndexOf(':');
    String name = host;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      ok &= close > 1 && (close == host.length() - 1 || host.charAt(close + 1) == ':');
      colon = close > 0 && close + 1 < host.length() ? close + 1 : -1;
      name = close > 0 ? host.substring(1, close) : "";
      for (int i = 0; ok && i < name.length(); i++) {
        char c = name.charAt(i);
        ok = Http1Syntax.hexValue(c) >= 0 || c == ':' || c == '.';
      }
    } else if (colon >= 0) {
      name = host.substring(0, colon);
      for (int i = 0; ok && i < name.length(); i++) {
        char c = name.charAt(i);
        ok = (c < 0x80 && Character.isLetterOrDigit(c)) || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
      }
    } else {
      for (int i = 0; ok && i < name.length(); i++) {
        char c = name.charAt(i);
        ok = (c < 0x80 && Character.isLetterOrDigit(c)) || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
      }
    }
    if (ok && colon >= 0) {
      String port = host.substring(colon + 1);
      ok = port.length() <= 5;
      for (int i = 0; ok && i < port.length(); i++) {
        ok = port.charAt(i) >= '0' && port.charAt(i) <= '9';
      }
    }
    if (!ok) {
      throw new Refused("invalid_host", "The Host '" + shorten(host) + "' is not a host name with an optional "
          + ":port.");
    }
  }

  /** The head with an origin-form target and Host set to the target's authority (the visitor's Host dropped). */
  private static byte[] rewrite(byte[] head, String method, AbsoluteTarget target, String version,
      int hostLineStart, int hostLineEnd, int requestLineEnd) {
    StringBuilder b = new StringBuilder(head.length + 16);
    b.append(method).append(' ').append(target.originForm()).append(' ').append(version).append("\r\n");
    b.append("Host: ").append(target.authority()).append("\r\n");
    String rest;
    if (hostLineStart < 0) {
      rest = ascii(head, requestLineEnd + 2, head.length);
    } else {
      rest = ascii(head, requestLineEnd + 2, hostLineStart) + ascii(head, hostLineEnd, head.length);
    }
    b.append(rest);
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String trimmedValue(byte[] head, int from, int to) {
    while (from < to && (head[from] == ' ' || head[from] == '\t')) {
      from++;
    }
    while (to > from && (head[to - 1] == ' ' || head[to - 1] == '\t')) {
      to--;
    }
    return ascii(head, from, to);
  }

  private static String ascii(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static String shorten(String s) {
    return Http1Syntax.show(s.getBytes(StandardCharsets.ISO_8859_1), 0, s.length());
  }

  static int indexOfCrlf(byte[] b, int from, int to) {
    for (int i = from; i + 1 < to; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return to;
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** An absolute-form target {@code http(s)://authority[path][?query]}. */
  record AbsoluteTarget(String authority, String originForm) {
    static AbsoluteTarget parse(String target) throws Refused {
      int sep = target.indexOf("://");
      if (sep <= 0) {
        return null;
      }
      String scheme = target.substring(0, sep).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      int end = target.length();
      for (int i = sep + 3; i < target.length(); i++) {
        char c = target.charAt(i);
        if (c == '/' || c == '?' || c == '#') {
          end = i;
          break;
        }
      }
      String authority = target.substring(sep + 3, end);
      if (authority.indexOf('@') >= 0) {
        throw new Refused("invalid_target", "The target URL carries user information ('@'); it is not accepted.");
      }
      String rest = target.substring(end);
      if (rest.indexOf('#') >= 0) {
        throw new Refused("invalid_target", "The request target holds a fragment ('#').");
      }
      String origin = rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest;
      return new AbsoluteTarget(authority, origin);
    }
  }
}
