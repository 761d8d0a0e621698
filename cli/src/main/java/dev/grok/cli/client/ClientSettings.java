package dev.grok.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The server and token a client command uses, with where each came from. Server: {@code --server} >
 * {@code GROK_SERVER} > config file > {@code localhost:4443}. Token: {@code --token} > {@code GROK_TOKEN} >
 * config file > (zero configuration, only for a server on this machine) {@code ./grok-data/admin.token}.
 *
 * @param server where to connect
 * @param serverSource e.g. {@code --server}, {@code GROK_SERVER}, {@code config file PATH}, {@code default}
 * @param token the token, null when none was found
 * @param tokenSource where the token came from, null when there is none
 */
public record ClientSettings(ServerAddress server, String serverSource, String token, String tokenSource) {
  /** The zero-configuration token file, relative to the working directory: the server's default data dir. */
  public static final Path ADMIN_TOKEN_FILE = Path.of("grok-data", "admin.token");

  /**
   * Resolves the settings. {@code flagServer} and {@code flagToken} are null when not given. A malformed server
   * or config file is an IllegalArgumentException saying the value and the expected form.
   */
  public static ClientSettings resolve(String flagServer, String flagToken, ClientEnvironment env) {
    Path file = env.configFile();
    Map<String, Object> config = null;

    String serverText = blankToNull(flagServer);
    String serverSource = "--server";
    if (serverText == null && (serverText = env.get(ClientEnvironment.SERVER_ENV)) != null) {
      serverSource = ClientEnvironment.SERVER_ENV;
    }
    if (serverText == null) {
      config = ClientConfigFile.read(file);
      serverText = ClientConfigFile.value(config, ClientConfigFile.SERVER_KEY);
      serverSource = "config file " + file;
    }
    ServerAddress server;
    if (serverText == null) {
      server = ServerAddress.DEFAULT;
      serverSource = "default";
    } else {
      try {
        server = ServerAddress.parse(serverText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " (from " + serverSource + ")");
      }
    }

    String token = blankToNull(flagToken);
    String tokenSource = "--token";
    if (token == null && (token = env.get(ClientEnvironment.TOKEN_ENV)) != null) {
      tokenSource = ClientEnvironment.TOKEN_ENV;
    }
    if (token == null) {
      if (config == null) {
        config = ClientConfigFile.read(file);
      }
      token = ClientConfigFile.value(config, ClientConfigFile.TOKEN_KEY);
      tokenSource = "config file " + file;
    }
    if (token == null && LocalHosts.isLocal(server.host())) {
      Path adminToken = env.workDir().resolve(ADMIN_TOKEN_FILE);
      token = readToken(adminToken);
      tokenSource = adminToken.toString();
    }
    return new ClientSettings(server, serverSource, token, token == null ? null : tokenSource);
  }

  /** The exit-3 message when no token was found, telling how to get one. */
  public String missingTokenMessage(ClientEnvironment env) {
    String zeroConfig = LocalHosts.isLocal(server.host())
        ? " (nor " + env.workDir().resolve(ADMIN_TOKEN_FILE) + ", which a grok-server started in this directory"
            + " creates)"
        : "";
    return "invalid token: no token given" + zeroConfig + ". Pass --token T, set " + ClientEnvironment.TOKEN_ENV
        + ", or save one with 'grok config set-token T'; create one on the server with "
        + "'grok-server token create NAME'.";
  }

  /** {@code token} shown as its first 8 characters and {@code ...}; shorter tokens are hidden entirely. */
  public static String mask(String token) {
    return token.length() > 8 ? token.substring(0, 8) + "..." : "...";
  }

  private static String readToken(Path file) {
    try {
      return blankToNull(Files.readString(file));
    } catch (IOException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
