package dev.grok.cli.client;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What every tunnel command ({@code http}, {@code tcp}, {@code serve}) needs before it runs: server and token. */
final class TunnelRun {
  /** Exit status when no token could be found or the server refused it. */
  static final int EXIT_INVALID_TOKEN = 3;

  private TunnelRun() {}

  /** The server and token of {@code options}; null after printing the exit-3 message when there is no token. */
  static ClientSettings settings(ClientOptions options, CommandSpec spec, ClientEnvironment env) {
    ClientSettings settings = options.resolve(spec, env);
    if (settings.token() == null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("grok: " + settings.missingTokenMessage(env));
      err.flush();
      return null;
    }
    return settings;
  }
}
