package dev.grok.cli.client;

import dev.grok.client.ClientConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --basic-auth USER:PASS} of {@code grok http} and {@code grok serve}: the edge asks visitors for it. */
public final class BasicAuthOption {
  @Option(names = "--basic-auth", paramLabel = "USER:PASS",
      description = "Visitors must log in with this user and password (HTTP Basic, checked by the server, which "
          + "keeps only a salted hash of it).")
  String basicAuth;

  /** The checked value, null when not given; a malformed one is a usage error (exit 2) saying the expected form. */
  String value(CommandSpec spec) {
    if (basicAuth == null) {
      return null;
    }
    try {
      return ClientConfig.checkBasicAuth(basicAuth);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--basic-auth: " + e.getMessage());
    }
  }
}
