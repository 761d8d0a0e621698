package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite only, by nature: the embedded database's file, pragmas and URL handling. What holds for both backends
 * (migrations, a quiet stdout) is in {@link DataSourcesMigrationTest}.
 */
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

  private static long count(HikariDataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
