package dev.grok.cli.options;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies the value of every option that no flag gave: the environment variable {@code GROK_<OPTION>} (upper
 * case, dashes as underscores), else the key {@code <option>} (the long name without dashes) of the YAML config
 * file, else nothing, so that picocli applies the declared default. Hence flag > env > file > default. Only the
 * options named by the file keys are looked up, so a subcommand's own option (say {@code --user}) is never
 * changed by a stray variable ({@code GROK_USER}).
 *
 * <p>The config file is the command's {@code --config} value, else the environment variable named at
 * construction ({@code GROK_SERVER_CONFIG} for the server). Picocli asks for defaults only after the command line
 * is parsed, so a {@code --config} flag anywhere on the line is already known here. The environment is a map so
 * tests need not touch the real one. Not thread-safe: picocli parses on one thread.
 */
public final class OptionDefaults implements CommandLine.IDefaultValueProvider {
  /** The option naming the YAML file; never itself read from the file. */
  public static final String CONFIG_OPTION = "--config";

  private final Map<String, String> env;
  private final String configEnvVar;
  private final Set<String> fileKeys;
  private final Map<Path, Map<String, String>> files = new HashMap<>();
  /** Option long name to where its value came from, for the options this provider supplied. */
  private final Map<String, String> sources = new HashMap<>();

  /**
   * @param env the process environment (or a test's map)
   * @param configEnvVar environment variable naming the config file when {@code --config} is not given
   * @param fileKeys the keys a config file may hold, also the options read from the environment; any other key
   *     in a file is an error naming it
   */
  public OptionDefaults(Map<String, String> env, String configEnvVar, Set<String> fileKeys) {
    this.env = Map.copyOf(env);
    this.configEnvVar = configEnvVar;
    this.fileKeys = Set.copyOf(fileKeys);
  }

  /** {@code --http-port} to {@code GROK_HTTP_PORT}. */
  public static String envName(String optionName) {
    return "GROK_" + key(optionName).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** {@code --http-port} to {@code http-port}, the YAML key. */
  public static String key(String optionName) {
    return optionName.replaceFirst("^-+", "");
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.longestName().equals("--help")
        || option.longestName().equals("--version")) {
      return null;
    }
    String name = option.longestName();
    if (name.equals(CONFIG_OPTION)) {
      return envValue(configEnvVar);
    }
    if (!fileKeys.contains(key(name))) {
      return null;
    }
    String envName = envName(name);
    String fromEnv = envValue(envName);
    if (fromEnv != null) {
      sources.put(name, "environment variable " + envName);
      return fromEnv;
    }
    Path file = configFile(option.command());
    if (file != null) {
      String fromFile = load(file, option.command()).get(key(name));
      if (fromFile != null) {
        sources.put(name, "config file " + file);
        return fromFile;
      }
    }
    return null;
  }

  /** Where the value of {@code option} came from when this provider supplied it, else null (flag or default). */
  public String sourceOf(OptionSpec option) {
    return sources.get(option.longestName());
  }

  /**
   * Reads and checks the command's config file now, if it has one, so that a bad file is reported even when
   * every option came from flags. Throws picocli's ParameterException (exit 2) naming the problem.
   */
  public void check(CommandSpec command) {
    Path file = configFile(command);
    if (file != null) {
      load(file, command);
    }
  }

  /** The config file of {@code command}: its {@code --config} value, else the environment variable, else null. */
  public Path configFile(CommandSpec command) {
    OptionSpec config = command.findOption(CONFIG_OPTION);
    Object value = config == null ? null : config.getValue();
    if (value != null && !value.toString().isBlank()) {
      return Path.of(value.toString());
    }
    String fromEnv = envValue(configEnvVar);
    return fromEnv == null ? null : Path.of(fromEnv);
  }

  private Map<String, String> load(Path file, CommandSpec command) {
    Map<String, String> values = files.get(file);
    if (values == null) {
      try {
        values = YamlOptionsFile.read(file, fileKeys);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
      }
      files.put(file, values);
    }
    return values;
  }

  /** An empty variable counts as unset, as shells make it easy to export one by accident. */
  private String envValue(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
