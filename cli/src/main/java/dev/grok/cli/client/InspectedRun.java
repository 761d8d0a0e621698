package dev.grok.cli.client;

import dev.grok.cli.ProcessExit;
import dev.grok.client.ClientConfig;
import dev.grok.client.ClientListener;
import dev.grok.client.GrokClient;
import dev.grok.client.forward.ExchangeObserver;
import dev.grok.client.inspect.Inspector;
import dev.grok.client.inspect.InspectorServer;
import dev.grok.common.logging.Logging;
import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A running tunnel client with what the user sees of it: the request inspector on {@code 127.0.0.1:PORT} (unless
 * {@code --no-inspect}; a taken port is a warning, not a failure), and on stdout either plain lines
 * ({@link ConsoleListener}) or, in a terminal with text output, the live {@link TerminalStatus}.
 */
final class InspectedRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InspectedRun.class);

  private final GrokClient client;
  /** Null when neither the inspector nor the terminal view needs it. */
  private final Inspector inspector;
  /** Null when off or the port was taken. */
  private final InspectorServer server;
  /** Null unless stdout is a terminal. */
  private final TerminalStatus terminal;

  private InspectedRun(GrokClient client, Inspector inspector, InspectorServer server, TerminalStatus terminal) {
    this.client = client;
    this.inspector = inspector;
    this.server = server;
    this.terminal = terminal;
  }

  static InspectedRun start(ClientConfig config, ClientOptions options, PrintWriter out, PrintWriter err) {
    boolean tty = "text".equals(options.logFormat()) && TerminalStatus.stdoutIsTerminal();
    boolean inspect = !options.noInspect;
    Inspector inspector = inspect || tty ? new Inspector(config.localUrl()) : null;
    InspectorServer server = inspect ? InspectorServer.start(inspector, options.inspectPort) : null;
    if (server != null) {
      log.info("request inspector on {}", server.url());
    } else if (inspector != null && !tty) {
      inspector.close(); // port taken: nobody would see the captures
      inspector = null;
    }
    TerminalStatus terminal = tty ? new TerminalStatus(out, err, inspector, server == null ? null : server.url())
        : null;
    ClientListener listener = terminal != null ? terminal : new ConsoleListener(out, err, options.logFormat());
    if (inspector != null) {
      listener = inspector.listener(listener);
    }
    GrokClient client = GrokClient.start(config, listener,
        inspector == null ? ExchangeObserver.Factory.NONE : inspector);
    if (inspector != null) {
      inspector.replayTo(client.forwarder());
    }
    return new InspectedRun(client, inspector, server, terminal);
  }

  /**
   * Runs the client with its inspector until Ctrl-C (exit 0) or a failure retrying cannot fix (its exit code): the
   * life of {@code grok http}, {@code grok tcp} and {@code grok serve} alike.
   */
  static int run(CommandSpec spec, ClientOptions options, ClientConfig config)
      throws InterruptedException, ExecutionException {
    Logging.configure(options.logFormat());
    InspectedRun run = start(config, options, spec.commandLine().getOut(), spec.commandLine().getErr());
    ProcessExit.onShutdown("grok", run::close);
    // The life of the process: completes on a fatal error or when a signal's close() ends the client.
    int exitCode = run.client().terminated().get();
    run.close();
    return exitCode;
  }

  GrokClient client() {
    return client;
  }

  /** Ends the tunnel, then the inspector. */
  @Override
  public void close() {
    client.close();
    if (terminal != null) {
      terminal.close();
    }
    if (server != null) {
      server.close();
    }
    if (inspector != null) {
      inspector.close();
    }
  }
}
