package dev.grok.cli.client;

import dev.grok.cli.options.Converters;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Flags every tunnel command takes: where the server is, the token, the output format, the inspector. */
public final class ClientOptions {
  @Option(names = "--server", paramLabel = "HOST:PORT",
      description = "Tunnel server (default: $GROK_SERVER, else the config file, else localhost:4443).")
  String server;

  @Option(names = "--token", paramLabel = "T",
      description = "Token (default: $GROK_TOKEN, else the config file, else ./grok-data/admin.token for a "
          + "server on this machine).")
  String token;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
      converter = Converters.LogFormat.class,
      description = "stdout as text lines or one JSON object per line; logs on stderr alike (default: text).")
  String logFormat;

  @Option(names = "--inspect-port", paramLabel = "N", defaultValue = "4041", converter = Converters.Port.class,
      description = "Port of the request inspector on 127.0.0.1 (default: 4041; 0: any free port).")
  int inspectPort;

  @Option(names = "--no-inspect", description = "Turns the request inspector off (wins over --inspect-port).")
  boolean noInspect;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Not supported yet.")
  Path tlsCa;

  @Option(names = "--tls-insecure", description = "Not supported yet.")
  boolean tlsInsecure;

  /** The chosen output format, {@code text} or {@code json}. */
  public String logFormat() {
    return logFormat;
  }

  /** Refuses the accepted but unimplemented flags (exit 2) rather than silently ignoring them. */
  void rejectUnsupported(CommandSpec spec) {
    String flag = tlsCa != null ? "--tls-ca" : tlsInsecure ? "--tls-insecure" : null;
    if (flag != null) {
      throw new ParameterException(spec.commandLine(), flag + " is not supported yet");
    }
  }

  /** Server and token from these flags, the environment and the config file. */
  ClientSettings resolve(CommandSpec spec, ClientEnvironment env) {
    try {
      return ClientSettings.resolve(server, token, env);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
