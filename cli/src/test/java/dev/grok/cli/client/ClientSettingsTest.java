package dev.grok.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
  @TempDir
  Path home;
  @TempDir
  Path workDir;

  private final Map<String, String> vars = new HashMap<>();

  private ClientEnvironment env() {
    return new ClientEnvironment(vars, home, workDir);
  }

  @BeforeEach
  void noConfigFile() {
    assertThat(env().configFile()).isEqualTo(home.resolve(".grok/config.yml")).doesNotExist();
  }

  private void configFile(String server, String token) throws IOException {
    ClientConfigFile.set(env().configFile(), ClientConfigFile.SERVER_KEY, server);
    ClientConfigFile.set(env().configFile(), ClientConfigFile.TOKEN_KEY, token);
  }

  private void adminToken(String token) throws IOException {
    Files.createDirectories(workDir.resolve("grok-data"));
    Files.writeString(workDir.resolve("grok-data/admin.token"), token + "\n");
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
    configFile("file.example:1111", "file-token");
    vars.put("GROK_SERVER", "env.example:2222");
    vars.put("GROK_TOKEN", "env-token");

    ClientSettings flags = ClientSettings.resolve("flag.example:3333", "flag-token", env());
    assertThat(flags.server()).isEqualTo(new ServerAddress("flag.example", 3333));
    assertThat(flags.token()).isEqualTo("flag-token");
    assertThat(flags.tokenSource()).isEqualTo("--token");

    ClientSettings fromEnv = ClientSettings.resolve(null, null, env());
    assertThat(fromEnv.server()).isEqualTo(new ServerAddress("env.example", 2222));
    assertThat(fromEnv.token()).isEqualTo("env-token");
    assertThat(fromEnv.serverSource()).isEqualTo("GROK_SERVER");

    vars.clear();
    ClientSettings fromFile = ClientSettings.resolve(null, null, env());
    assertThat(fromFile.server()).isEqualTo(new ServerAddress("file.example", 1111));
    assertThat(fromFile.token()).isEqualTo("file-token");
    assertThat(fromFile.tokenSource()).contains("config file");
  }

  @Test
  void defaultServerIsLocalhost4443() {
    ClientSettings settings = ClientSettings.resolve(null, null, env());

    assertThat(settings.server()).isEqualTo(new ServerAddress("localhost", 4443));
    assertThat(settings.serverSource()).isEqualTo("default");
    assertThat(settings.token()).isNull();
  }

  @Test
  void grokConfigVariableMovesTheConfigFile() throws IOException {
    Path elsewhere = workDir.resolve("custom/grok.yml");
    vars.put("GROK_CONFIG", elsewhere.toString());
    configFile("custom.example:4000", "custom-token");

    assertThat(elsewhere).exists();
    assertThat(ClientSettings.resolve(null, null, env()).token()).isEqualTo("custom-token");
  }

  @Test
  void localServerWithoutTokenReadsZeroConfigAdminToken() throws IOException {
    adminToken("admin-secret");

    ClientSettings settings = ClientSettings.resolve(null, null, env());

    assertThat(settings.token()).isEqualTo("admin-secret");
    assertThat(settings.tokenSource()).isEqualTo(workDir.resolve("grok-data/admin.token").toString());
  }

  @Test
  void zeroConfigTokenCountsForEveryLocalSpelling() throws IOException {
    adminToken("admin-secret");

    for (String server : new String[] {"localhost:4443", "127.0.0.1:4443", "127.1.2.3:9", "[::1]:4443",
        "LOCALHOST:4443"}) {
      assertThat(ClientSettings.resolve(server, null, env()).token()).as(server).isEqualTo("admin-secret");
    }
  }

  @Test
  void zeroConfigTokenLosesToAnyExplicitToken() throws IOException {
    adminToken("admin-secret");
    configFile("localhost:4443", "file-token");

    assertThat(ClientSettings.resolve(null, null, env()).token()).isEqualTo("file-token");
  }

  @Test
  void remoteServerNeverGetsTheAdminToken() throws IOException {
    adminToken("admin-secret");

    ClientSettings settings = ClientSettings.resolve("tunnel.example.com:4443", null, env());

    assertThat(settings.token()).isNull();
    assertThat(settings.missingTokenMessage(env())).contains("invalid token").contains("grok config set-token")
        .contains("grok-server token create");
  }

  @Test
  void malformedServerSaysValueAndSource() {
    vars.put("GROK_SERVER", "example.com:http");

    assertThatThrownBy(() -> ClientSettings.resolve(null, null, env()))
        .hasMessageContaining("'example.com:http'").hasMessageContaining("expected: HOST:PORT")
        .hasMessageContaining("GROK_SERVER");
  }

  @Test
  void serverAddressForms() {
    assertThat(ServerAddress.parse("example.com")).isEqualTo(new ServerAddress("example.com", 4443));
    assertThat(ServerAddress.parse("[::1]:5000")).isEqualTo(new ServerAddress("::1", 5000));
    assertThat(ServerAddress.parse("[::1]:5000")).hasToString("[::1]:5000");
    assertThatThrownBy(() -> ServerAddress.parse("example.com:0")).hasMessageContaining("expected: HOST:PORT");
  }

  @Test
  void maskKeepsEightCharacters() {
    assertThat(ClientSettings.mask("abcdefghijklmnop")).isEqualTo("abcdefgh...");
    assertThat(ClientSettings.mask("short")).isEqualTo("...");
  }
}
