package dev.grok.cli;

import dev.grok.cli.client.ClientEnvironment;
import dev.grok.cli.client.ConfigCommand;
import dev.grok.cli.client.HttpCommand;
import dev.grok.cli.client.ServeDirCommand;
import dev.grok.cli.client.TcpCommand;
import dev.grok.cli.options.ErrorHandlers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grok http TARGET}, {@code grok tcp TARGET}, {@code grok serve DIR}, {@code grok config ...},
 * {@code grok version}. Exit codes: 0 done (or stopped by Ctrl-C), 1 unexpected failure, 2 usage error, 3 invalid
 * or missing token, 4 subdomain or port refused, 5 tunnel stopped by the server's administrator.
 */
public final class ClientMain {
  /** The program name in messages. */
  public static final String PROGRAM = "grok";

  /** The exit statuses of the contract, as {@code --help} lists them (root and every tunnel command). */
  public static final Map<String, String> EXIT_CODES = exitCodes();

  private ClientMain() {}

  public static void main(String[] args) {
    ProcessExit.exit(commandLine(ClientEnvironment.ofProcess()).execute(args));
  }

  /** The command tree, reading the environment, home and working directory of {@code env}. */
  public static CommandLine commandLine(ClientEnvironment env) {
    CommandLine root = new CommandLine(new Root());
    root.addSubcommand(new HttpCommand(env));
    root.addSubcommand(new TcpCommand(env));
    root.addSubcommand(new ServeDirCommand(env));
    root.addSubcommand(ConfigCommand.commandLine(env));
    root.addSubcommand(new VersionCommand());
    for (String tunnel : new String[] {"http", "tcp", "serve"}) {
      listExitCodes(root.getSubcommands().get(tunnel));
    }
    listExitCodes(root);
    root.setParameterExceptionHandler(ErrorHandlers.usage(PROGRAM, null));
    root.setExecutionExceptionHandler(ErrorHandlers.execution(PROGRAM));
    return root;
  }

  private static void listExitCodes(CommandLine command) {
    command.getCommandSpec().usageMessage()
        .exitCodeListHeading("%nExit status (network failures never end the process: they are retried with backoff):%n")
        .exitCodeList(EXIT_CODES);
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("0", "stopped by Ctrl-C or SIGTERM");
    codes.put("1", "unexpected failure");
    codes.put("2", "usage error (bad option or argument)");
    codes.put("3", "invalid or missing token (\"invalid token\")");
    codes.put("4", "subdomain or port refused (\"invalid subdomain\", \"already taken\", \"limit\")");
    codes.put("5", "tunnel stopped by the server's administrator (dashboard or API; \"stopped\")");
    return Collections.unmodifiableMap(codes);
  }

  /** The top-level command; its work is done by the subcommands. */
  @Command(name = PROGRAM, mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Expose a local service at a public URL through a grok server.")
  static final class Root implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "missing command: http, tcp, serve, config or version");
    }
  }
}
