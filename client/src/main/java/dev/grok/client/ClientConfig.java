package dev.grok.client;

import java.net.URI;
import java.util.Locale;

/**
 * One {@code grok http} invocation, already merged from flags, environment and the config file by the CLI.
 *
 * @param serverHost tunnel server host
 * @param serverPort tunnel server port (gRPC)
 * @param token bearer token
 * @param target the local service
 * @param subdomain requested name, null for a random one
 * @param hostHeader {@code rewrite} (Host becomes the target's HOST:PORT), {@code preserve}, or a literal value
 * @param tunnelTls plain text or TLS to the tunnel port
 */
public record ClientConfig(
    String serverHost, int serverPort, String token, LocalTarget target, String subdomain, String hostHeader,
    TunnelTls tunnelTls) {

  /** A plain-text client. */
  public ClientConfig(
      String serverHost, int serverPort, String token, LocalTarget target, String subdomain, String hostHeader) {
    this(serverHost, serverPort, token, target, subdomain, hostHeader, TunnelTls.PLAINTEXT);
  }

  public ClientConfig {
    if (tunnelTls == null) {
      tunnelTls = TunnelTls.PLAINTEXT;
    }
    if (serverPort < 1 || serverPort > 65535) {
      throw new IllegalArgumentException("server port: " + serverPort + " (expected: 1-65535)");
    }
    if (hostHeader == null || hostHeader.isBlank()) {
      hostHeader = "rewrite";
    }
  }

  /**
   * The local service. {@code hostHeader} is what the local service sees as Host in rewrite mode: TARGET's
   * {@code HOST:PORT} as given, {@code localhost:PORT} for a bare port.
   */
  public record LocalTarget(String scheme, String host, int port, String hostHeader) {

    /** Parses {@code PORT}, {@code HOST:PORT} or {@code http(s)://HOST[:PORT]}. */
    public static LocalTarget parse(String target) {
      String t = target == null ? "" : target.trim();
      try {
        if (t.matches("\\d+")) {
          int port = checkPort(Integer.parseInt(t), target);
          return new LocalTarget("http", "localhost", port, "localhost:" + port);
        }
        if (t.contains("://")) {
          URI uri = URI.create(t);
          String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
          if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad(target);
          }
          int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
          String host = uri.getHost();
          if (host == null) {
            throw bad(target);
          }
          String authority = uri.getRawAuthority();
          return new LocalTarget(scheme, stripBrackets(host), checkPort(port, target), authority);
        }
        int colon = t.lastIndexOf(':');
        if (colon > 0) {
          String host = t.substring(0, colon);
          int port = checkPort(Integer.parseInt(t.substring(colon + 1)), target);
          return new LocalTarget("http", stripBrackets(host), port, t);
        }
      } catch (IllegalArgumentException e) {
        throw bad(target);
      }
      throw bad(target);
    }

    public String url() {
      return scheme + "://" + hostHeader;
    }

    private static String stripBrackets(String host) {
      return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int checkPort(int port, String target) {
      if (port < 1 || port > 65535) {
        throw bad(target);
      }
      return port;
    }

    private static IllegalArgumentException bad(String target) {
      return new IllegalArgumentException(
          "target: '" + target + "' (expected: PORT, HOST:PORT or http(s)://HOST:PORT, e.g. 3000)");
    }
  }
}
