package dev.grok.cli.client;

import dev.grok.cli.VersionCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grok config set-token T | set-server HOST:PORT | show}: edits the client's config file. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Edit the config file: ~/.grok/config.yml, or $GROK_CONFIG.")
public final class ConfigCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  /** {@code config} with its three subcommands, reading and writing the file {@code env} names. */
  public static CommandLine commandLine(ClientEnvironment env) {
    return new CommandLine(new ConfigCommand())
        .addSubcommand(new SetToken(env))
        .addSubcommand(new SetServer(env))
        .addSubcommand(new Show(env));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: set-token, set-server or show");
  }

  /** {@code config set-token T}. */
  @Command(name = "set-token", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Save the token to use.")
  static final class SetToken implements Callable<Integer> {
    private final ClientEnvironment env;
    @Spec
    private CommandSpec spec;
    @Parameters(index = "0", paramLabel = "T", description = "The token, from 'grok-server token create NAME'.")
    String token;

    SetToken(ClientEnvironment env) {
      this.env = env;
    }

    @Override
    public Integer call() throws IOException {
      if (token.isBlank() || token.strip().chars().anyMatch(Character::isWhitespace)) {
        throw new ParameterException(spec.commandLine(), "token: '" + token + "' (expected: one word)");
      }
      Path file = env.configFile();
      ClientConfigFile.set(file, ClientConfigFile.TOKEN_KEY, token.strip());
      return println(spec, "Token " + ClientSettings.mask(token.strip()) + " saved to " + file);
    }
  }

  /** {@code config set-server HOST:PORT}. */
  @Command(name = "set-server", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Save the server to connect to.")
  static final class SetServer implements Callable<Integer> {
    private final ClientEnvironment env;
    @Spec
    private CommandSpec spec;
    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server's tunnel port, e.g. example.com:4443.")
    String server;

    SetServer(ClientEnvironment env) {
      this.env = env;
    }

    @Override
    public Integer call() throws IOException {
      ServerAddress address;
      try {
        address = ServerAddress.parse(server);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      Path file = env.configFile();
      ClientConfigFile.set(file, ClientConfigFile.SERVER_KEY, address.toString());
      return println(spec, "Server " + address + " saved to " + file);
    }
  }

  /** {@code config show}: the file, the server and the masked token in effect, with where each came from. */
  @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Show the server and token in effect.")
  static final class Show implements Callable<Integer> {
    private final ClientEnvironment env;
    @Spec
    private CommandSpec spec;

    Show(ClientEnvironment env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      ClientSettings settings;
      try {
        settings = ClientSettings.resolve(null, null, env);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      Path file = env.configFile();
      PrintWriter out = spec.commandLine().getOut();
      out.println("config: " + file + (Files.exists(file) ? "" : " (not created yet)"));
      out.println("server: " + settings.server() + " (" + settings.serverSource() + ")");
      out.println("token:  " + (settings.token() == null ? "(none)"
          : ClientSettings.mask(settings.token()) + " (" + settings.tokenSource() + ")"));
      out.flush();
      return 0;
    }
  }

  private static int println(CommandSpec spec, String line) {
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
