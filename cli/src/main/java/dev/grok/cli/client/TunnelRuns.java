package dev.grok.cli.client;

import dev.grok.cli.ProcessExit;
import dev.grok.client.ClientConfig;
import dev.grok.client.GrokClient;
import dev.grok.common.logging.Logging;
import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Model.CommandSpec;

/** What every tunnel command does around its own options: find server and token, then run the client to its end. */
final class TunnelRuns {
  /** Exit status when no token could be found or the server refused it. */
  static final int EXIT_INVALID_TOKEN = 3;

  private TunnelRuns() {}

  /** Server and token; null after printing the exit-3 message when no token was found. */
  static ClientSettings settings(CommandSpec spec, ClientOptions options, ClientEnvironment env) {
    ClientSettings settings = options.resolve(spec, env);
    if (settings.token() == null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("grok: " + settings.missingTokenMessage(env));
      err.flush();
      return null;
    }
    return settings;
  }

  /**
   * Runs a client with {@code config} until a fatal error (its exit code) or a signal (0), printing readiness on
   * stdout in the chosen format.
   */
  static int run(CommandSpec spec, ClientOptions options, ClientConfig config)
      throws InterruptedException, ExecutionException {
    Logging.configure(options.logFormat());
    ConsoleListener listener =
        new ConsoleListener(spec.commandLine().getOut(), spec.commandLine().getErr(), options.logFormat());
    GrokClient client = GrokClient.start(config, listener);
    ProcessExit.onShutdown("grok", client::close);
    // The life of the process: completes on a fatal error or when a signal's close() ends the client.
    return client.terminated().get();
  }
}
