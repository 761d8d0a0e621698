package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
  @TempDir Path tempDir;

  @Test
  void createsTheDataDirAndTheSchema() throws Exception {
    Path dataDir = tempDir.resolve("a/b/grok-data");

    try (HikariDataSource ds = DataSources.open(dataDir, null, null, null)) {
      assertThat(dataDir.resolve("grok.db")).isRegularFile();
      assertThat(count(ds, "SELECT COUNT(*) FROM tokens")).isZero();
      assertThat(count(ds, "SELECT COUNT(*) FROM users")).isZero();
    }
  }

  @Test
  void embeddedDatabaseRunsInWalModeWithABusyTimeout() throws Exception {
    try (HikariDataSource ds = DataSources.open(tempDir, null, null, null);
        Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
      }
      try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(DataSources.SQLITE_BUSY_TIMEOUT_MILLIS);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void migrationsRunTwiceAreHarmless() throws Exception {
    CreatedToken created;
    try (TokenStore store = TokenStore.open(tempDir, null, null, null)) {
      created = store.create("laptop", "alice");
    }
    try (HikariDataSource ds = DataSources.open(tempDir, null, null, null)) {
      long applied = count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1");
      assertThat(DataSources.migrate(ds)).isZero();
      assertThat(DataSources.migrate(ds)).isZero();
      assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo(applied);
    }
    try (TokenStore store = TokenStore.open(tempDir, null, null, null)) {
      assertThat(store.authenticate(created.token())).isPresent();
    }
  }

  @Test
  void firstOpenAppliesTheMigrations() throws Exception {
    try (HikariDataSource ds = DataSources.open(tempDir, null, null, null)) {
      assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success = 1"))
          .isEqualTo(1);
    }
  }

  @Test
  void explicitSqliteUrlIsOpenedWithTheSameSettings() throws Exception {
    Path file = tempDir.resolve("elsewhere.db");
    try (HikariDataSource ds = DataSources.open(null, "jdbc:sqlite:" + file, null, null);
        Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
    assertThat(file).isRegularFile();
    assertThat(tempDir.resolve("grok.db")).doesNotExist();
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> DataSources.open(null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dataDir: null (expected: ");
    assertThatThrownBy(() -> DataSources.open(tempDir, "postgres://host/db", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("db-url: 'postgres://host/db' (expected: a JDBC URL");
  }

  @Test
  void openingAndUsingTheStorePrintsNothingOnStdout() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TokenStore store = TokenStore.open(tempDir.resolve("fresh"), null, null, null)) {
      store.create("laptop", "alice");
      store.ensureAdminToken(tempDir.resolve("fresh"));
      store.list();
    } finally {
      System.setOut(original);
    }
    // `token create` prints exactly one line, the token: Flyway, HikariCP and SQLite must stay off stdout.
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(Files.exists(tempDir.resolve("fresh/admin.token"))).isTrue();
  }

  private static long count(HikariDataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
