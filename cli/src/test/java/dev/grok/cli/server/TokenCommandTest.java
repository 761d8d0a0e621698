package dev.grok.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.Invocation;
import dev.grok.cli.ServerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against the real token store, on an embedded database in a fresh data dir. */
class TokenCommandTest {
  @TempDir
  Path dataDir;

  private Invocation token(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "token";
    System.arraycopy(args, 0, all, 1, args.length);
    return Invocation.run(ServerMain.commandLine(env), all);
  }

  private Invocation token(String... args) {
    return token(Map.of("GROK_DATA_DIR", dataDir.toString()), args);
  }

  private static List<String> row(Invocation list, String name) {
    return list.out().lines().map(line -> List.of(line.trim().split("\\s+")))
        .filter(columns -> columns.get(1).equals(name)).findFirst().orElseThrow();
  }

  @Test
  void createPrintsExactlyOneLineTheToken() {
    Invocation created = token("create", "laptop");

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().lines().toList()).singleElement().asString().matches("\\S{16,}");
  }

  @Test
  void listShowsIdNameUserStatusButNeverTheToken() {
    String secret = token("create", "laptop").out().strip();
    token("create", "ci", "--user", "builder");

    Invocation list = token("list");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).doesNotContain(secret);
    assertThat(row(list, "laptop")).hasSize(4).endsWith("admin", "active");
    assertThat(row(list, "ci")).hasSize(4).endsWith("builder", "active");
  }

  @Test
  void revokeByNamePrintsTheIdAndListShowsRevoked() {
    token("create", "laptop");
    String id = row(token("list"), "laptop").get(0);

    Invocation revoked = token("revoke", "laptop");

    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(revoked.out()).isEqualTo("revoked " + id + System.lineSeparator());
    assertThat(row(token("list"), "laptop")).endsWith("revoked");
  }

  @Test
  void revokeById() {
    token("create", "laptop");
    String id = row(token("list"), "laptop").get(0);

    Invocation revoked = token("revoke", id);

    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(revoked.out().strip()).isEqualTo("revoked " + id);
  }

  @Test
  void revokeUnknownExitsOne() {
    Invocation revoked = token("revoke", "nobody");

    assertThat(revoked.exitCode()).isEqualTo(1);
    assertThat(revoked.err()).contains("no token with ID or name 'nobody'");
    assertThat(revoked.out()).isEmpty();
  }

  @Test
  void dataDirFlagBeatsEnvironmentAndConfigFileIsRead() throws IOException {
    Path other = dataDir.resolve("other");
    Path yaml = dataDir.resolve("grok.yml");
    Files.writeString(yaml, "data-dir: " + other + "\nhttp-port: 8080\n");

    token(Map.of("GROK_DATA_DIR", dataDir.toString()), "create", "viaflag", "--data-dir", other.toString());
    token(Map.of("GROK_SERVER_CONFIG", yaml.toString()), "create", "viafile");

    Invocation list = token(Map.of(), "list", "--data-dir=" + other);
    assertThat(list.out()).contains("viaflag").contains("viafile");
    assertThat(token("list").out()).doesNotContain("viaflag");
  }

  @Test
  void nameWithSpacesIsAUsageError() {
    Invocation created = token("create", "my laptop");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).contains("'my laptop'");
  }
}
