package dev.grok.cli.server;

import dev.grok.cli.ProcessExit;
import dev.grok.cli.VersionCommand;
import dev.grok.cli.options.Converters;
import dev.grok.cli.options.ErrorHandlers;
import dev.grok.cli.options.OptionDefaults;
import dev.grok.common.logging.Logging;
import dev.grok.server.GrokServer;
import dev.grok.server.ServerConfig;
import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.server.Throttles;
import dev.grok.server.ratelimit.RateLimit;
import dev.grok.server.requestlog.RequestLogConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grok-server [serve]}: runs the server until Ctrl-C or SIGTERM, which stop it gracefully. Every option
 * also comes from {@code GROK_<OPTION>} and from the YAML file of {@code --config} (or GROK_SERVER_CONFIG).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {"Run the server (the default command).",
        "Every option also comes from the environment variable GROK_<OPTION> (e.g. GROK_HTTP_PORT) and from "
            + "the YAML file of --config (keys without dashes, e.g. 'http-port: 8081'). "
            + "Precedence: flag > environment > file > default."})
public final class ServeCommand implements Callable<Integer> {
  /** How long a stopping server lets exchanges in flight finish. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  @Spec
  private CommandSpec spec;

  @Option(names = OptionDefaults.CONFIG_OPTION, paramLabel = "FILE",
      description = "YAML file of option values (default: $GROK_SERVER_CONFIG).")
  Path config;

  @Option(names = "--domain", paramLabel = "D", defaultValue = "localhost", converter = Converters.DomainName.class,
      description = "Public URLs are http://NAME.D:PORT, port left out when 80 (default: localhost).")
  String domain;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
      description = "Address every listener binds (default: 0.0.0.0).")
  String bind;

  @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080", converter = Converters.Port.class,
      description = "Public HTTP edge, routes by Host (default: 8080).")
  int httpPort;

  @Option(names = "--https-port", paramLabel = "N", defaultValue = "8443", converter = Converters.Port.class,
      description = "Public HTTPS edge, only with a certificate (default: 8443).")
  int httpsPort;

  @Option(names = "--tunnel-port", paramLabel = "N", defaultValue = "4443", converter = Converters.Port.class,
      description = "Where clients connect (default: 4443).")
  int tunnelPort;

  @Option(names = "--admin-port", paramLabel = "N", defaultValue = "4040", converter = Converters.Port.class,
      description = "/health, /metrics, dashboard and REST API (default: 4040).")
  int adminPort;

  @Option(names = "--tcp-ports", paramLabel = "A-B", defaultValue = "10000-20000",
      converter = Converters.PortRange.class, description = "Ports handed to TCP tunnels (default: 10000-20000).")
  String tcpPorts;

  @Mixin
  DatabaseOptions database;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate for the HTTPS edge (--https-port) and TLS on the tunnel port "
          + "(e.g. from 'grok-server gencert').")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--max-tunnels-per-user", paramLabel = "N", defaultValue = "10",
      converter = Converters.PositiveInt.class, description = "More live tunnels are refused (default: 10).")
  int maxTunnelsPerUser;

  @Option(names = "--response-timeout", paramLabel = "SECONDS", defaultValue = "60",
      converter = Converters.PositiveInt.class,
      description = "504 when the local service sends no response headers in time (default: 60).")
  int responseTimeoutSeconds;

  // ---- the public edge's deadlines and limits (docs/security.md) ----
  @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "30",
      converter = Converters.PositiveInt.class,
      description = "A visitor's whole request head must arrive in time, else 408 and close (default: 30).")
  int headerTimeoutSeconds;

  @Option(names = "--body-timeout", paramLabel = "SECONDS", defaultValue = "60",
      converter = Converters.PositiveInt.class,
      description = "Longest pause between two reads of a request body (default: 60).")
  int bodyTimeoutSeconds;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "75",
      converter = Converters.PositiveInt.class,
      description = "An idle keep-alive visitor connection (HTTP/1.1 or HTTP/2) is closed (default: 75).")
  int idleTimeoutSeconds;

  @Option(names = "--max-connections-per-ip", paramLabel = "N", defaultValue = "256",
      converter = Converters.PositiveInt.class,
      description = "Visitor connections from one address at once; more get 429 (default: 256).")
  int maxConnectionsPerIp;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000",
      converter = Converters.PositiveInt.class,
      description = "Visitor connections at once per edge listener; more are closed (default: 10000).")
  int maxConnections;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
      converter = Converters.LogFormat.class, description = "Logs on stderr as text or JSON lines (default: text).")
  String logFormat;

  // ---- limits against abuse (issue 11: rate limit per tunnel, tunnel port; docs/security.md) ----

  @Option(names = "--rate-limit", paramLabel = "RPS", defaultValue = "0", converter = Converters.NonNegativeInt.class,
      description = "Requests per second per HTTP tunnel, beyond which visitors get 429 with Retry-After; "
          + "a token's own limit (token create --rate-limit) wins (default: 0, no limit).")
  int rateLimit;

  @Option(names = "--rate-limit-burst", paramLabel = "N", defaultValue = "0",
      converter = Converters.NonNegativeInt.class,
      description = "Requests a tunnel may make at once after a quiet spell (default: 0, meaning one second's worth, "
          + "the --rate-limit value).")
  int rateLimitBurst;

  @Option(names = "--tunnel-auth-timeout", paramLabel = "SECONDS", defaultValue = "10",
      converter = Converters.PositiveInt.class,
      description = "A tunnel-port connection that has not authenticated by then is closed (default: 10).")
  int tunnelAuthTimeoutSeconds;

  @Option(names = "--max-unauthenticated-connections", paramLabel = "N", defaultValue = "1000",
      converter = Converters.PositiveInt.class,
      description = "Tunnel-port connections waiting to authenticate at once; more are closed (default: 1000).")
  int maxUnauthenticatedConnections;

  @Option(names = "--max-failed-auth", paramLabel = "N", defaultValue = "10",
      converter = Converters.NonNegativeInt.class,
      description = "Failed token attempts from one address within a minute before its attempts are refused "
          + "('too many failed attempts') for --failed-auth-lockout; 0 turns this off (default: 10).")
  int maxFailedAuth;

  @Option(names = "--failed-auth-lockout", paramLabel = "SECONDS", defaultValue = "300",
      converter = Converters.PositiveInt.class,
      description = "How long an address that failed too many token attempts is refused (default: 300).")
  int failedAuthLockoutSeconds;

  // ---- the request log in the database (issue 12) ----

  @Option(names = "--request-log-retention", paramLabel = "N", defaultValue = "1000",
      converter = Converters.NonNegativeInt.class,
      description = "Exchanges kept per tunnel in the database's request log; 0 turns the log off (default: 1000).")
  int requestLogRetention;

  @Option(names = "--request-log-max-age", paramLabel = "AGE", defaultValue = "7d", converter = Converters.Age.class,
      description = "Request log rows older than this are deleted, e.g. 7d, 12h, 30m (default: 7d).")
  Duration requestLogMaxAge;

  /** The limits against abuse from the options above. */
  private Throttles throttles() {
    return new Throttles(RateLimit.of(rateLimit, rateLimitBurst), Duration.ofSeconds(tunnelAuthTimeoutSeconds),
        maxUnauthenticatedConnections, maxFailedAuth, Duration.ofSeconds(failedAuthLockoutSeconds));
  }

  /** The merged options as the server's config; a usage error (exit 2) when they do not fit together. */
  public ServerConfig toConfig() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together (got only "
          + (tlsCert == null ? "--tls-key" : "--tls-cert") + ")");
    }
    if (bind.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--bind: '' (expected: an address such as 0.0.0.0)");
    }
    try {
      return new ServerConfig(domain, bind.trim(), httpPort, httpsPort, tunnelPort, adminPort, tcpPorts,
          database.dataDir(), database.dbUrl(), database.dbUser(), database.dbPassword(), tlsCert, tlsKey,
          maxTunnelsPerUser, Duration.ofSeconds(responseTimeoutSeconds), SHUTDOWN_GRACE,
          new EdgeGuardConfig(Duration.ofSeconds(headerTimeoutSeconds), Duration.ofSeconds(bodyTimeoutSeconds),
              Duration.ofSeconds(idleTimeoutSeconds), maxConnectionsPerIp, maxConnections))
          .withThrottles(throttles())
          .withRequestLog(new RequestLogConfig(requestLogRetention, requestLogMaxAge));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The log format chosen, {@code text} or {@code json}. */
  public String logFormat() {
    return logFormat;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (spec.defaultValueProvider() instanceof OptionDefaults defaults) {
      defaults.check(spec);
    }
    ServerConfig config = toConfig();
    Logging.configure(logFormat);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GrokServer server;
    try {
      server = GrokServer.start(config);
    } catch (Exception e) {
      err.println("grok-server: could not start: " + ErrorHandlers.describe(e) + hint(e));
      err.flush();
      return 1;
    }
    ProcessExit.onShutdown("grok-server", server::close);
    out.println("grok-server listening: http " + where(server.httpPort())
        + (server.httpsPort() < 0 ? "" : ", https " + where(server.httpsPort()))
        + ", tunnel " + where(server.tunnelPort()) + (server.httpsPort() < 0 ? "" : " (TLS)")
        + ", admin " + where(server.adminPort()) + " (domain " + config.domain() + ")");
    server.createdAdminToken().ifPresent(token -> {
      out.println("Admin token (saved in " + config.dataDir().resolve("admin.token") + "): " + token);
      out.println("Dashboard sign-in: create a super admin with");
      out.println("  " + superAdminCommand());
    });
    out.flush();
    server.awaitClosed();
    return 0;
  }

  /** The one command that makes a super admin on this server's database, for the first-start banner. */
  String superAdminCommand() {
    StringBuilder b = new StringBuilder("bin/grok-server user create you@example.com --role super_admin --password-stdin");
    if (database.dbUrl() != null) {
      b.append(" --db-url ").append(database.dbUrl());
    } else if (!database.dataDir().equals(java.nio.file.Path.of("grok-data"))
        && !database.dataDir().equals(java.nio.file.Path.of("./grok-data"))) {
      b.append(" --data-dir ").append(database.dataDir());
    }
    return b.toString();
  }

  private String where(int port) {
    String address = bind.trim();
    if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
      return ":" + port;
    }
    return (address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address) + ":" + port;
  }

  private String hint(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String msg = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (c instanceof java.net.BindException || msg.contains("address already in use")) {
        return " (a port is already in use: http " + httpPort + ", tunnel " + tunnelPort + ", admin " + adminPort
            + "; choose others with --http-port, --tunnel-port, --admin-port)";
      }
    }
    return "";
  }
}
