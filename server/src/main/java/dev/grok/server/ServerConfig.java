package dev.grok.server;

import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.server.requestlog.RequestLogConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server needs to start, already merged from flags, environment and YAML by the CLI.
 *
 * @param domain public URLs are {@code http://NAME.domain[:port]}
 * @param bind address every listener binds
 * @param httpPort public HTTP edge (0: any free port)
 * @param httpsPort public HTTPS edge, used only with a certificate
 * @param tunnelPort where clients connect (gRPC)
 * @param adminPort {@code /health}, {@code /metrics}, the dashboard and its REST API
 * @param tcpPorts range handed to TCP tunnels, {@code A-B}
 * @param dataDir embedded database, generated secrets, {@code admin.token}
 * @param dbUrl JDBC URL of an external database, null for the embedded SQLite under dataDir
 * @param dbUser user for dbUrl, may be null
 * @param dbPassword password for dbUrl, may be null
 * @param tlsCert PEM certificate, null for plain text
 * @param tlsKey PEM private key, null when tlsCert is null
 * @param maxTunnelsPerUser live tunnels one user may hold
 * @param responseTimeout visitor gets 504 when the local service sends no response head within it
 * @param shutdownGrace how long a stopping server lets exchanges in flight finish
 * @param edgeGuard the public edge's deadlines and connection limits (docs/security.md); null: the defaults
 * @param throttles rate limit per tunnel and the tunnel port's limits (docs/security.md); null: the defaults
 * @param requestLog the request log's retention in the database; null: the defaults (1000 per tunnel, 7 days)
 */
public record ServerConfig(
    String domain,
    String bind,
    int httpPort,
    int httpsPort,
    int tunnelPort,
    int adminPort,
    String tcpPorts,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    Path tlsCert,
    Path tlsKey,
    int maxTunnelsPerUser,
    Duration responseTimeout,
    Duration shutdownGrace,
    EdgeGuardConfig edgeGuard,
    Throttles throttles,
    RequestLogConfig requestLog) {

  public ServerConfig {
    if (requestLog == null) {
      requestLog = RequestLogConfig.DEFAULTS;
    }
    if (edgeGuard == null) {
      edgeGuard = EdgeGuardConfig.DEFAULTS;
    }
    if (throttles == null) {
      throttles = Throttles.DEFAULTS;
    }
    if (domain == null || domain.isBlank()) {
      throw new IllegalArgumentException("domain: '" + domain + "' (expected: a DNS name such as example.com)");
    }
    domain = domain.toLowerCase(java.util.Locale.ROOT);
    checkPort("http-port", httpPort);
    checkPort("https-port", httpsPort);
    checkPort("tunnel-port", tunnelPort);
    checkPort("admin-port", adminPort);
    dev.grok.server.edge.tcp.PortRange.parse(tcpPorts); // the error names the value and the expected form
    if (maxTunnelsPerUser < 1) {
      throw new IllegalArgumentException("max-tunnels-per-user: " + maxTunnelsPerUser + " (expected: >= 1)");
    }
    if (responseTimeout.isNegative() || responseTimeout.isZero()) {
      throw new IllegalArgumentException("response-timeout: " + responseTimeout.toSeconds() + " (expected: > 0)");
    }
  }

  /** Without a request log config: its defaults. */
  public ServerConfig(String domain, String bind, int httpPort, int httpsPort, int tunnelPort, int adminPort,
      String tcpPorts, Path dataDir, String dbUrl, String dbUser, String dbPassword, Path tlsCert, Path tlsKey,
      int maxTunnelsPerUser, Duration responseTimeout, Duration shutdownGrace, EdgeGuardConfig edgeGuard,
      Throttles throttles) {
    this(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl, dbUser, dbPassword,
        tlsCert, tlsKey, maxTunnelsPerUser, responseTimeout, shutdownGrace, edgeGuard, throttles, null);
  }

  /** Without edge deadlines/limits and throttles: their defaults (the contract's). */
  public ServerConfig(String domain, String bind, int httpPort, int httpsPort, int tunnelPort, int adminPort,
      String tcpPorts, Path dataDir, String dbUrl, String dbUser, String dbPassword, Path tlsCert, Path tlsKey,
      int maxTunnelsPerUser, Duration responseTimeout, Duration shutdownGrace) {
    this(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl, dbUser, dbPassword,
        tlsCert, tlsKey, maxTunnelsPerUser, responseTimeout, shutdownGrace, EdgeGuardConfig.DEFAULTS,
        Throttles.DEFAULTS);
  }

  /** With the edge's deadlines and limits; the throttles' defaults. */
  public ServerConfig(String domain, String bind, int httpPort, int httpsPort, int tunnelPort, int adminPort,
      String tcpPorts, Path dataDir, String dbUrl, String dbUser, String dbPassword, Path tlsCert, Path tlsKey,
      int maxTunnelsPerUser, Duration responseTimeout, Duration shutdownGrace, EdgeGuardConfig edgeGuard) {
    this(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl, dbUser, dbPassword,
        tlsCert, tlsKey, maxTunnelsPerUser, responseTimeout, shutdownGrace, edgeGuard, Throttles.DEFAULTS);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535)");
    }
  }

  /** Defaults of the contract, for tests and embedding: every port 0 (any free one), data under dataDir. */
  public static ServerConfig forTests(Path dataDir) {
    return new ServerConfig("localhost", "127.0.0.1", 0, 0, 0, 0, "10000-20000", dataDir, null, null, null,
        null, null, 10, Duration.ofSeconds(60), Duration.ofSeconds(5));
  }

  public ServerConfig withResponseTimeout(Duration timeout) {
    return new ServerConfig(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl,
        dbUser, dbPassword, tlsCert, tlsKey, maxTunnelsPerUser, timeout, shutdownGrace, edgeGuard, throttles,
        requestLog);
  }

  public ServerConfig withMaxTunnelsPerUser(int max) {
    return new ServerConfig(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl,
        dbUser, dbPassword, tlsCert, tlsKey, max, responseTimeout, shutdownGrace, edgeGuard, throttles,
        requestLog);
  }

  public ServerConfig withEdgeGuard(EdgeGuardConfig guard) {
    return new ServerConfig(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl,
        dbUser, dbPassword, tlsCert, tlsKey, maxTunnelsPerUser, responseTimeout, shutdownGrace, guard, throttles,
        requestLog);
  }

  public ServerConfig withThrottles(Throttles t) {
    return new ServerConfig(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl,
        dbUser, dbPassword, tlsCert, tlsKey, maxTunnelsPerUser, responseTimeout, shutdownGrace, edgeGuard, t,
        requestLog);
  }

  public ServerConfig withRequestLog(RequestLogConfig log) {
    return new ServerConfig(domain, bind, httpPort, httpsPort, tunnelPort, adminPort, tcpPorts, dataDir, dbUrl,
        dbUser, dbPassword, tlsCert, tlsKey, maxTunnelsPerUser, responseTimeout, shutdownGrace, edgeGuard, throttles,
        log);
  }
}
