package dev.grok.cli.client;

import dev.grok.cli.VersionCommand;
import dev.grok.client.ClientConfig;
import dev.grok.client.ClientConfig.ServeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code grok serve DIR}: a public URL serving a directory as a website, answered by the client itself (no local
 * service needed), until Ctrl-C (exit 0) or a failure retrying cannot fix (exit 3 bad token, 4 subdomain refused).
 * Not to be confused with the server's {@code grok-server serve}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Serve a directory as a website at a public URL.")
public final class ServeDirCommand implements Callable<Integer> {
  private final ClientEnvironment env;

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory to serve, e.g. ./public.")
  Path dir;

  @Option(names = "--subdomain", paramLabel = "NAME",
      description = "Ask for http://NAME.DOMAIN (default: a random name).")
  String subdomain;

  @Option(names = "--no-gzip", description = "Never compress responses (default: text types are gzip-compressed "
      + "for visitors that accept it).")
  boolean noGzip;

  @Option(names = "--404", paramLabel = "FILE",
      description = "The page of 404 answers: a file relative to DIR, or absolute (default: grok's own page).")
  Path notFoundPage;

  @Option(names = "--spa", description = "Single-page app: unknown paths that do not look like files (no '.' in "
      + "their last part) get /index.html.")
  boolean spa;

  @Mixin
  ClientOptions options;

  @Mixin
  BasicAuthOption basicAuth;

  @Mixin
  CompressionOption compression;

  public ServeDirCommand(ClientEnvironment env) {
    this.env = env;
  }

  /** The client's config from the flags, environment and config file; null after printing the exit-3 message. */
  ClientConfig toConfig() {
    String credentials = basicAuth.value(spec);
    Path root = env.workDir().resolve(dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new ParameterException(spec.commandLine(),
          "DIR: '" + dir + "' (expected: an existing directory; resolved to " + root + ")");
    }
    ServeOptions serve = new ServeOptions(root, !noGzip, notFoundPage, spa);
    if (serve.notFoundPage() != null && !Files.isRegularFile(serve.notFoundPage())) {
      throw new ParameterException(spec.commandLine(), "--404: '" + notFoundPage
          + "' (expected: a file, relative to DIR or absolute; resolved to " + serve.notFoundPage() + ")");
    }
    ClientSettings settings = TunnelRun.settings(options, spec, env);
    if (settings == null) {
      return null;
    }
    return new ClientConfig(settings.server().host(), settings.server().port(), settings.token(), null,
        subdomain == null || subdomain.isBlank() ? null : subdomain.trim(), null)
        .withBasicAuth(credentials).withServe(serve).withCompression(compression.mode)
        .withTunnelTls(options.tunnelTls(spec, settings.server(), spec.commandLine().getErr()));
  }

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    ClientConfig config = toConfig();
    return config == null ? TunnelRun.EXIT_INVALID_TOKEN : InspectedRun.run(spec, options, config);
  }
}
