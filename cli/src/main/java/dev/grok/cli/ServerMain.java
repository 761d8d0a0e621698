package dev.grok.cli;

import dev.grok.cli.options.ErrorHandlers;
import dev.grok.cli.options.OptionDefaults;
import dev.grok.cli.server.GencertCommand;
import dev.grok.cli.server.OrgCommand;
import dev.grok.cli.server.ServeCommand;
import dev.grok.cli.server.TokenCommand;
import dev.grok.cli.server.UserCommand;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code grok-server [serve] [options]}, {@code token}, {@code user}, {@code org}, {@code gencert}, {@code version}. Without a subcommand
 * (no arguments, or options first) the command is {@code serve}. Exit codes: 0 done (or stopped by a signal),
 * 1 failure (e.g. a port in use), 2 usage error.
 */
public final class ServerMain {
  /** The program name in messages. */
  public static final String PROGRAM = "grok-server";
  /** Names the server's YAML file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "GROK_SERVER_CONFIG";

  private static final Set<String> ROOT_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  private ServerMain() {}

  public static void main(String[] args) {
    ProcessExit.exit(execute(commandLine(System.getenv()), args));
  }

  /** Runs {@code args} on {@code root} (from {@link #commandLine}), {@code serve} when no subcommand is named. */
  public static int execute(CommandLine root, String... args) {
    return root.execute(withDefaultCommand(root, args));
  }

  /** The command tree; {@code env} stands for the process environment. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine root = new CommandLine(new Root());
    CommandLine serve = new CommandLine(new ServeCommand());
    CommandLine token = TokenCommand.commandLine();
    root.addSubcommand(serve);
    root.addSubcommand(token);
    CommandLine user = UserCommand.commandLine();
    CommandLine org = OrgCommand.commandLine();
    root.addSubcommand(user);
    root.addSubcommand(org);
    root.addSubcommand(new GencertCommand());
    root.addSubcommand(new VersionCommand());
    OptionDefaults defaults = new OptionDefaults(env, CONFIG_ENV, fileKeys(serve.getCommandSpec()));
    // Only the commands that share the server's options read GROK_* and the YAML file, and only for those
    // options: gencert's --host must not be changed by an unrelated GROK_HOST.
    serve.setDefaultValueProvider(defaults);
    token.setDefaultValueProvider(defaults);
    user.setDefaultValueProvider(defaults);
    org.setDefaultValueProvider(defaults);
    root.setParameterExceptionHandler(ErrorHandlers.usage(PROGRAM, defaults));
    root.setExecutionExceptionHandler(ErrorHandlers.execution(PROGRAM));
    return root;
  }

  /** {@code args}, with {@code serve} in front unless they start with a subcommand or a top-level option. */
  static String[] withDefaultCommand(CommandLine root, String[] args) {
    if (args.length > 0 && (root.getSubcommands().containsKey(args[0]) || ROOT_OPTIONS.contains(args[0])
        || !args[0].startsWith("-"))) {
      return args;
    }
    return Stream.concat(Stream.of("serve"), Arrays.stream(args)).toArray(String[]::new);
  }

  /** The keys a server YAML file may hold: the long names, without dashes, of serve's options. */
  static Set<String> fileKeys(CommandSpec serve) {
    Set<String> keys = new TreeSet<>();
    for (OptionSpec option : serve.options()) {
      String name = option.longestName();
      if (!option.usageHelp() && !option.versionHelp() && !name.equals(OptionDefaults.CONFIG_OPTION)) {
        keys.add(OptionDefaults.key(name));
      }
    }
    return keys;
  }

  /** The top-level command; its work is done by the subcommands. */
  @Command(name = PROGRAM, mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "The grok tunnel server. Without a subcommand, runs 'serve'.")
  static final class Root implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
