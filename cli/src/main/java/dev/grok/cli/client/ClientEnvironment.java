package dev.grok.cli.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the client reads from its surroundings, passed in so tests need not touch the real ones.
 *
 * @param vars the process environment ({@code GROK_SERVER}, {@code GROK_TOKEN}, {@code GROK_CONFIG})
 * @param home the user's home directory, holding {@code .grok/config.yml}
 * @param workDir the working directory, where the zero-configuration {@code grok-data/admin.token} is looked for
 */
public record ClientEnvironment(Map<String, String> vars, Path home, Path workDir) {
  public static final String SERVER_ENV = "GROK_SERVER";
  public static final String TOKEN_ENV = "GROK_TOKEN";
  public static final String CONFIG_ENV = "GROK_CONFIG";

  public ClientEnvironment {
    vars = Map.copyOf(vars);
  }

  /**
   * The real environment, home and working directory of this process. Home is {@code $HOME} when set (as for
   * other command-line tools, and so a test can give a child process its own), else the JVM's user.home.
   */
  public static ClientEnvironment ofProcess() {
    Map<String, String> vars = System.getenv();
    String home = vars.get("HOME");
    return new ClientEnvironment(vars, Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home),
        Path.of("").toAbsolutePath());
  }

  /** The variable's value, null when unset or blank. */
  public String get(String name) {
    String value = vars.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** {@code $GROK_CONFIG}, else {@code ~/.grok/config.yml}. */
  public Path configFile() {
    String fromEnv = get(CONFIG_ENV);
    return fromEnv != null ? Path.of(fromEnv) : home.resolve(".grok").resolve("config.yml");
  }
}
