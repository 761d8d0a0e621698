package dev.grok.cli.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tunnel server as {@code HOST:PORT} ({@code [v6]:PORT} for an IPv6 address); a bare HOST means port 4443.
 * {@code https://HOST:PORT} asks for TLS to the tunnel port ({@code http://HOST:PORT} is the same as no scheme).
 *
 * @param host name or address, IPv6 without brackets
 * @param port 1-65535
 * @param tls the address was given as {@code https://}
 */
public record ServerAddress(String host, int port, boolean tls) {
  /** The tunnel port when none is given. */
  public static final int DEFAULT_PORT = 4443;
  /** Where the client connects when nothing says otherwise. */
  public static final ServerAddress DEFAULT = new ServerAddress("localhost", DEFAULT_PORT);

  /** Plain text. */
  public ServerAddress(String host, int port) {
    this(host, port, false);
  }

  private static final Pattern BRACKETED = Pattern.compile("\\[([0-9a-fA-F:.%\\w]+)](?::(\\d{1,5}))?");
  private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

  /**
   * Parses {@code HOST:PORT}, {@code [V6]:PORT} or {@code HOST}, each optionally after {@code https://} (TLS) or
   * {@code http://}; the message says the value and the form.
   */
  public static ServerAddress parse(String value) {
    String v = value == null ? "" : value.trim();
    boolean tls = false;
    String lower = v.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("https://")) {
      tls = true;
      v = stripSlash(v.substring("https://".length()));
    } else if (lower.startsWith("http://")) {
      v = stripSlash(v.substring("http://".length()));
    }
    Matcher m = BRACKETED.matcher(v);
    if (!m.matches()) {
      m = HOST_PORT.matcher(v);
    }
    if (m.matches()) {
      int port = m.group(2) == null ? DEFAULT_PORT : Integer.parseInt(m.group(2));
      if (port >= 1 && port <= 65535) {
        return new ServerAddress(m.group(1), port, tls);
      }
    }
    throw new IllegalArgumentException("server: '" + value
        + "' (expected: HOST:PORT or https://HOST:PORT for TLS, e.g. tunnel.example.com:4443)");
  }

  private static String stripSlash(String v) {
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
