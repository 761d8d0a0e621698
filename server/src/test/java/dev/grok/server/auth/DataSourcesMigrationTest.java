package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Opening and migrating the database, on both backends (the SQLite specifics are in {@link DataSourcesTest}). */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class DataSourcesMigrationTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path tempDir;
  private TestDatabase db;

  @BeforeEach
  void database() {
    db = backend.fresh(tempDir);
  }

  private HikariDataSource open() {
    return DataSources.open(db.dataDir(), db.url(), db.user(), db.password());
  }

  private TokenStore openStore() {
    return TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
  }

  @Test
  void migrationsRunTwiceAreHarmless() throws Exception {
    CreatedToken created;
    try (TokenStore store = openStore()) {
      created = store.create("laptop", "alice");
    }
    try (HikariDataSource ds = open()) {
      long applied = count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE");
      assertThat(DataSources.migrate(ds)).isZero();
      assertThat(DataSources.migrate(ds)).isZero();
      assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo(applied);
    }
    try (TokenStore store = openStore()) {
      assertThat(store.authenticate(created.token())).isPresent();
    }
  }

  @Test
  void firstOpenAppliesEveryMigration() throws Exception {
    try (HikariDataSource ds = open()) {
      assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success = TRUE"))
          .isEqualTo(1);
      assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '5' AND success = TRUE"))
          .isEqualTo(1);
      assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE success <> TRUE")).isZero();
    }
  }

  @Test
  void openingAndUsingTheStorePrintsNothingOnStdout() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TokenStore store = openStore()) {
      store.create("laptop", "alice");
      store.ensureAdminToken(tempDir);
      store.list();
    } finally {
      System.setOut(original);
    }
    // `token create` prints exactly one line, the token: Flyway, HikariCP and the drivers must stay off stdout.
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(Files.exists(tempDir.resolve("admin.token"))).isTrue();
  }

  private static long count(HikariDataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
