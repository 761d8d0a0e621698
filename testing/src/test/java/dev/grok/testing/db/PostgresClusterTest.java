package dev.grok.testing.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresClusterTest {
  @Test
  void clusterServesFreshDatabasesAndIsGoneAfterClose() throws Exception {
    PostgresCluster pg = PostgresCluster.start();
    int port = pg.port();
    try (pg) {
      String first = pg.createDatabase();
      String second = pg.createDatabase();
      assertThat(first).isNotEqualTo(second).startsWith("jdbc:postgresql://127.0.0.1:" + port + "/");
      try (Connection c = DriverManager.getConnection(first, PostgresCluster.USER, null);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (x INT)");
        s.execute("INSERT INTO t VALUES (1)");
        try (ResultSet rs = s.executeQuery("SHOW server_version_num")) {
          assertThat(rs.next()).isTrue();
          assertThat(Integer.parseInt(rs.getString(1))).isGreaterThanOrEqualTo(150000);
        }
      }
      try (Connection c = DriverManager.getConnection(second, PostgresCluster.USER, null);
          Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery("SELECT x FROM t")).isInstanceOf(SQLException.class)
            .hasMessageContaining("does not exist"); // each database starts empty
      }
    }
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      }
    }).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void sharedClusterIsStartedOnceAndBackendsHandOutSeparateDatabases(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) {
    TestDatabase a = DatabaseBackend.POSTGRESQL.fresh(dir);
    TestDatabase b = DatabaseBackend.POSTGRESQL.fresh(dir);
    assertThat(SharedPostgres.cluster()).isSameAs(SharedPostgres.cluster());
    assertThat(a.url()).isNotEqualTo(b.url());
    assertThat(a.cliOptions()).containsSubsequence("--db-url", a.url(), "--db-user", PostgresCluster.USER);
    assertThat(DatabaseBackend.SQLITE.fresh(dir).url()).isNull();
  }

  @Test
  void schemasAreEmptyAndSeeOnlyTheirOwnTables() throws Exception {
    String first = SharedPostgres.cluster().createSchema();
    String second = SharedPostgres.cluster().createSchema();
    assertThat(first).isNotEqualTo(second).contains("?currentSchema=grok_test_");
    try (Connection c = DriverManager.getConnection(first, PostgresCluster.USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INT)"); // unqualified: lands in the URL's schema
      s.execute("INSERT INTO t VALUES (1)");
      try (ResultSet rs = s.executeQuery("SELECT current_schema(), COUNT(*) FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(first).endsWith("=" + rs.getString(1));
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
    }
    try (Connection c = DriverManager.getConnection(second, PostgresCluster.USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INT)"); // the same name again: no clash
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }
}
