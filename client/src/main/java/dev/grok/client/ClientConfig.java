package dev.grok.client;

import dev.grok.common.compress.CompressionMode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One {@code grok http}, {@code grok tcp} or {@code grok serve} invocation, already merged from flags, environment
 * and the config file by the CLI.
 *
 * @param serverHost tunnel server host
 * @param serverPort tunnel server port (gRPC)
 * @param token bearer token
 * @param spec what the tunnel forwards: {@link TunnelSpec.Http}, {@link TunnelSpec.Tcp} or {@link TunnelSpec.Serve}
 * @param tunnelTls plain text or TLS to the tunnel port
 * @param compression what is done with compressible bodies both ways ({@code --compression}); default auto
 */
public record ClientConfig(String serverHost, int serverPort, String token, TunnelSpec spec, TunnelTls tunnelTls,
    CompressionMode compression) {

  public ClientConfig {
    java.util.Objects.requireNonNull(spec, "spec");
    if (compression == null) {
      compression = CompressionMode.DEFAULT;
    }
    if (tunnelTls == null) {
      tunnelTls = TunnelTls.PLAINTEXT;
    }
    if (serverPort < 1 || serverPort > 65535) {
      throw new IllegalArgumentException("server port: " + serverPort + " (expected: 1-65535)");
    }
  }

  /** An HTTP tunnel, plain text to the tunnel port, default compression. */
  public ClientConfig(String serverHost, int serverPort, String token, LocalTarget target, String subdomain,
      String hostHeader) {
    this(serverHost, serverPort, token, new TunnelSpec.Http(target, subdomain, hostHeader, null), null, null);
  }

  /** A TCP tunnel to {@code target} ({@link LocalTarget#parseTcp}) on public port {@code remotePort} (0: any). */
  public static ClientConfig tcp(String serverHost, int serverPort, String token, LocalTarget target,
      int remotePort) {
    return new ClientConfig(serverHost, serverPort, token, new TunnelSpec.Tcp(target, remotePort), null, null);
  }

  /** This config with visitors asked for {@code userPass} ({@code USER:PASS}; null for none); HTTP and serve only. */
  public ClientConfig withBasicAuth(String userPass) {
    TunnelSpec s = switch (spec) {
      case TunnelSpec.Http h -> new TunnelSpec.Http(h.target(), h.subdomain(), h.hostHeader(), userPass);
      case TunnelSpec.Serve v -> new TunnelSpec.Serve(v.options(), v.subdomain(), userPass);
      case TunnelSpec.Tcp t -> {
        if (userPass != null) {
          throw new IllegalArgumentException("basic auth is for HTTP tunnels: a TCP tunnel cannot ask for it");
        }
        yield t;
      }
    };
    return new ClientConfig(serverHost, serverPort, token, s, tunnelTls, compression);
  }

  /** This config with plain text or TLS to the tunnel port. */
  public ClientConfig withTunnelTls(TunnelTls tls) {
    return new ClientConfig(serverHost, serverPort, token, spec, tls, compression);
  }

  /** This HTTP config answering from a directory instead (its subdomain and basic auth stay). */
  public ClientConfig withServe(ServeOptions options) {
    if (!(spec instanceof TunnelSpec.Http h)) {
      throw new IllegalStateException("withServe: only an HTTP tunnel becomes grok serve (this is " + spec + ")");
    }
    return new ClientConfig(serverHost, serverPort, token, new TunnelSpec.Serve(options, h.subdomain(), h.basicAuth()),
        tunnelTls, compression);
  }

  /** This config with {@code mode} for compressible bodies. */
  public ClientConfig withCompression(CompressionMode mode) {
    return new ClientConfig(serverHost, serverPort, token, spec, tunnelTls, mode);
  }

  /** What the tunnel forwards to, as announced: {@code http://localhost:3000} or {@code file:///abs/dir}. */
  public String localUrl() {
    return spec.localUrl();
  }

  /** Throws with the value's problem unless it is {@code USER:PASS} with a non-empty user and password. */
  public static String checkBasicAuth(String userPass) {
    int colon = userPass.indexOf(':');
    if (colon < 1 || colon == userPass.length() - 1 || userPass.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("basic auth: '" + userPass.replaceAll(":.*", ":...")
          + "' (expected: USER:PASS, both non-empty, no control characters, e.g. alice:s3cret)");
    }
    return userPass;
  }

  /**
   * {@code grok serve DIR}: files of {@code root} answer the tunnel's requests.
   *
   * @param root the directory served, absolute
   * @param gzip compress text types for visitors that accept gzip
   * @param notFoundPage the page of 404 answers (absolute), null for grok's own
   * @param spa unknown paths that do not look like files get {@code /index.html}
   */
  public record ServeOptions(Path root, boolean gzip, Path notFoundPage, boolean spa) {
    public ServeOptions {
      root = root.toAbsolutePath().normalize();
      if (notFoundPage != null) {
        notFoundPage = root.resolve(notFoundPage).toAbsolutePath().normalize();
      }
    }

    /** {@code file:///abs/dir}. */
    public String url() {
      return root.toUri().toString().replaceAll("/$", "");
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

    /** Parses a TCP target: {@code PORT} (on localhost) or {@code HOST:PORT}; scheme {@code tcp}. */
    public static LocalTarget parseTcp(String target) {
      String t = target == null ? "" : target.trim();
      IllegalArgumentException bad = new IllegalArgumentException(
          "target: '" + target + "' (expected: PORT or HOST:PORT, e.g. 22)");
      try {
        if (t.matches("\\d+")) {
          int port = Integer.parseInt(t);
          if (port >= 1 && port <= 65535) {
            return new LocalTarget("tcp", "localhost", port, "localhost:" + port);
          }
        } else if (!t.contains("/")) {
          int colon = t.lastIndexOf(':');
          int port = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : 0;
          if (port >= 1 && port <= 65535) {
            return new LocalTarget("tcp", stripBrackets(t.substring(0, colon)), port, t);
          }
        }
      } catch (NumberFormatException e) {
        throw bad;
      }
      throw bad;
    }

    /** {@code http(s)://HOST:PORT}; {@code HOST:PORT} for a TCP target. */
    public String url() {
      return scheme.equals("tcp") ? hostHeader : scheme + "://" + hostHeader;
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
