package dev.grok.cli.client;

import dev.grok.cli.VersionCommand;
import dev.grok.client.ClientConfig;
import dev.grok.client.ClientConfig.LocalTarget;
import dev.grok.client.TunnelTls;
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
 * {@code grok http TARGET}: a public URL forwarding to a local HTTP service, until Ctrl-C (exit 0) or a failure
 * retrying cannot fix (exit 3 bad token, 4 subdomain refused). Network failures are retried forever.
 */
@Command(name = "http", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Expose a local HTTP service at a public URL.")
public final class HttpCommand implements Callable<Integer> {
  /** Exit status when no token could be found or the server refused it. */
  public static final int EXIT_INVALID_TOKEN = TunnelRun.EXIT_INVALID_TOKEN;

  private final ClientEnvironment env;

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TARGET",
      description = "The local service: PORT, HOST:PORT or http(s)://HOST:PORT, e.g. 3000.")
  String target;

  @Option(names = "--subdomain", paramLabel = "NAME",
      description = "Ask for http://NAME.DOMAIN (default: a random name).")
  String subdomain;

  @Option(names = "--host-header", paramLabel = "rewrite|preserve|VALUE", defaultValue = "rewrite",
      description = "Host the local service sees: rewrite to TARGET's HOST:PORT (localhost:PORT for a bare port), "
          + "preserve the visitor's, or this VALUE (default: rewrite).")
  String hostHeader;

  @Mixin
  ClientOptions options;

  @Mixin
  BasicAuthOption basicAuth;

  @Mixin
  CompressionOption compression;

  public HttpCommand(ClientEnvironment env) {
    this.env = env;
  }

  /** The client's config from the flags, environment and config file; null after printing the exit-3 message. */
  ClientConfig toConfig() {
    String credentials = basicAuth.value(spec);
    LocalTarget local;
    try {
      local = LocalTarget.parse(target);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ClientSettings settings = TunnelRun.settings(options, spec, env);
    if (settings == null) {
      return null;
    }
    TunnelTls tls = options.tunnelTls(spec, settings.server(), spec.commandLine().getErr());
    return new ClientConfig(settings.server().host(), settings.server().port(), settings.token(), local,
        subdomain == null || subdomain.isBlank() ? null : subdomain.trim(), hostHeader)
        .withBasicAuth(credentials).withTunnelTls(tls).withCompression(compression.mode);
  }

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    ClientConfig config = toConfig();
    return config == null ? EXIT_INVALID_TOKEN : InspectedRun.run(spec, options, config);
  }
}
