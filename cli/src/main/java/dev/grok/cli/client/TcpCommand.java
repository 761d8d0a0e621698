package dev.grok.cli.client;

import dev.grok.cli.VersionCommand;
import dev.grok.cli.options.Converters;
import dev.grok.client.ClientConfig;
import dev.grok.client.ClientConfig.LocalTarget;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grok tcp TARGET [--remote-port N]}: a public TCP port of the server forwarding to a local TCP service,
 * until Ctrl-C (exit 0) or a failure retrying cannot fix (exit 3 bad token, 4 port refused). Prints
 * {@code Forwarding tcp://DOMAIN:PORT -> HOST:PORT} once the port is live.
 */
@Command(name = "tcp", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Expose a local TCP service (ssh, a database, ...) on a public port of the server.")
public final class TcpCommand implements Callable<Integer> {
  private final ClientEnvironment env;

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TARGET", description = "The local service: PORT or HOST:PORT, e.g. 22.")
  String target;

  @Option(names = "--remote-port", paramLabel = "N", defaultValue = "0", converter = Converters.Port.class,
      description = "Ask for this public port (default: any port of the server's range; the last one you had "
          + "when the server still remembers it).")
  int remotePort;

  @Mixin
  ClientOptions options;

  /** Accepted only to explain why it does not apply (grok http and grok serve have it). */
  @Option(names = "--basic-auth", hidden = true, paramLabel = "USER:PASS")
  String basicAuth;

  public TcpCommand(ClientEnvironment env) {
    this.env = env;
  }

  /** The client's config from the flags, environment and config file; null after printing the exit-3 message. */
  ClientConfig toConfig() {
    if (basicAuth != null) {
      throw new ParameterException(spec.commandLine(), "--basic-auth is for HTTP tunnels (grok http, grok serve); "
          + "a TCP tunnel forwards raw bytes and cannot ask for a password");
    }
    LocalTarget local;
    try {
      local = LocalTarget.parseTcp(target);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ClientSettings settings = TunnelRun.settings(options, spec, env);
    if (settings == null) {
      return null;
    }
    return ClientConfig.tcp(settings.server().host(), settings.server().port(), settings.token(), local,
        remotePort).withTunnelTls(options.tunnelTls(spec, settings.server(), spec.commandLine().getErr()));
  }

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    ClientConfig config = toConfig();
    return config == null ? TunnelRun.EXIT_INVALID_TOKEN : InspectedRun.run(spec, options, config);
  }
}
