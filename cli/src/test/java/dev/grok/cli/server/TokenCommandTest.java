package dev.grok.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.Invocation;
import dev.grok.cli.ServerMain;
import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs against the real token store, on a fresh database: SQLite ({@code --data-dir}) and PostgreSQL
 * ({@code --db-url}). Where the options come from is checked in {@link TokenCommandDataDirTest}.
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class TokenCommandTest {
  @Parameter DatabaseBackend backend;
  @TempDir
  Path dataDir;
  private TestDatabase db;

  @BeforeEach
  void database() {
    db = backend.fresh(dataDir);
  }

  private Invocation token(String... args) {
    List<String> all = new ArrayList<>(List.of("token"));
    all.addAll(List.of(args));
    all.addAll(db.cliOptions());
    return Invocation.run(ServerMain.commandLine(Map.of()), all.toArray(String[]::new));
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
  void sameNameForTwoUsersIsAllowedAndRevokeByThatNameAsksForTheId() {
    token("create", "laptop", "--user", "alice");
    Invocation second = token("create", "laptop", "--user", "bob");
    assertThat(second.exitCode()).as(second.err()).isZero();

    Invocation revoked = token("revoke", "laptop");

    assertThat(revoked.exitCode()).isEqualTo(1);
    assertThat(revoked.err()).contains("belongs to 2 tokens").contains("expected: one token's ID");
    assertThat(revoked.out()).isEmpty();
    assertThat(token("list").out().lines()).hasSize(2).allSatisfy(line -> assertThat(line).endsWith("active"));
  }

  @Test
  void revokeUnknownExitsOne() {
    Invocation revoked = token("revoke", "nobody");

    assertThat(revoked.exitCode()).isEqualTo(1);
    assertThat(revoked.err()).contains("no token with ID or name 'nobody'");
    assertThat(revoked.out()).isEmpty();
  }

  @Test
  void nameWithSpacesIsAUsageError() {
    Invocation created = token("create", "my laptop");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).contains("'my laptop'");
  }
}
