package dev.grok.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.ClientMain;
import dev.grok.cli.Invocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  @TempDir
  Path home;
  @TempDir
  Path workDir;

  private Invocation grok(Map<String, String> vars, String... args) {
    return Invocation.run(ClientMain.commandLine(new ClientEnvironment(vars, home, workDir)), args);
  }

  @Test
  void setTokenAndServerRoundTripThroughShow() throws IOException {
    assertThat(grok(Map.of(), "config", "set-token", "tok_0123456789abcdef").exitCode()).isZero();
    assertThat(grok(Map.of(), "config", "set-server", "tunnel.example.com:4443").exitCode()).isZero();

    Invocation show = grok(Map.of(), "config", "show");

    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("server: tunnel.example.com:4443").contains("token:  tok_0123...")
        .doesNotContain("tok_0123456789abcdef");
    Path file = home.resolve(".grok/config.yml");
    assertThat(ClientConfigFile.read(file))
        .containsEntry("server", "tunnel.example.com:4443").containsEntry("token", "tok_0123456789abcdef");
  }

  @Test
  void fileIsOwnerOnlyInAnOwnerOnlyDirectory() throws IOException {
    grok(Map.of(), "config", "set-token", "tok_0123456789abcdef");

    assertThat(Files.getPosixFilePermissions(home.resolve(".grok")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(home.resolve(".grok/config.yml")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void otherKeysAreKept() throws IOException {
    Path file = home.resolve(".grok/config.yml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "theme: dark\ntoken: old\n");

    grok(Map.of(), "config", "set-token", "tok_new_0123456789");

    assertThat(ClientConfigFile.read(file)).containsEntry("theme", "dark").containsEntry("token", "tok_new_0123456789");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void grokConfigVariableChoosesTheFile() {
    Path file = workDir.resolve("conf/grok.yml");

    Invocation run = grok(Map.of("GROK_CONFIG", file.toString()), "config", "set-server", "example.org:5000");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(file.toString());
    assertThat(ClientConfigFile.read(file)).containsEntry("server", "example.org:5000");
    assertThat(home.resolve(".grok")).doesNotExist();
  }

  @Test
  void showWithoutAnythingPrintsDefaults() {
    Invocation show = grok(Map.of(), "config", "show");

    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("not created yet").contains("server: localhost:4443 (default)")
        .contains("token:  (none)");
  }

  @Test
  void invalidServerIsRefusedAndNothingIsWritten() {
    Invocation run = grok(Map.of(), "config", "set-server", "example.com:99999");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'example.com:99999'").contains("expected: HOST:PORT");
    assertThat(home.resolve(".grok")).doesNotExist();
  }
}
