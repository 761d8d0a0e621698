package dev.grok.cli.client;

import dev.grok.cli.options.Converters;
import dev.grok.client.TunnelTls;
import java.io.PrintWriter;
import java.nio.file.Files;
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

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "TLS to the tunnel port, trusting this certificate (PEM), e.g. the server's grok.crt.")
  Path tlsCa;

  @Option(names = "--tls-insecure",
      description = "TLS to the tunnel port without checking the server's certificate (development only).")
  boolean tlsInsecure;

  /** The chosen output format, {@code text} or {@code json}. */
  public String logFormat() {
    return logFormat;
  }


  /**
   * TLS to the tunnel port: with {@code --tls-ca} or {@code --tls-insecure}, or when the server address is
   * {@code https://HOST:PORT} (then checked against the system's trusted certificates); plain text otherwise.
   * {@code --tls-insecure} prints a warning on {@code err}.
   */
  TunnelTls tunnelTls(CommandSpec spec, ServerAddress server, PrintWriter err) {
    if (tlsCa != null && tlsInsecure) {
      throw new ParameterException(spec.commandLine(), "--tls-ca and --tls-insecure exclude each other "
          + "(--tls-ca checks the server's certificate, --tls-insecure does not)");
    }
    if (tlsCa != null) {
      if (!Files.isReadable(tlsCa)) {
        throw new ParameterException(spec.commandLine(), "--tls-ca: " + tlsCa
            + " is not a readable file (expected: the server's certificate in PEM, e.g. its grok.crt)");
      }
      return TunnelTls.trust(tlsCa);
    }
    if (tlsInsecure) {
      err.println("grok: warning: --tls-insecure: the tunnel server's certificate is not checked; anyone on the "
          + "path can read and change the traffic. Use --tls-ca FILE outside development.");
      err.flush();
      return TunnelTls.INSECURE;
    }
    return server.tls() ? TunnelTls.SYSTEM_TRUST : TunnelTls.PLAINTEXT;
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
