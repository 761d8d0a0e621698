package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.server.ratelimit.RateLimit;
import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migration V5 (token names unique per user instead of server-wide) on a database that holds data of every earlier
 * migration: on SQLite it rebuilds {@code tokens}, on PostgreSQL it swaps the constraint; either way every row and
 * column survives and the other constraints still hold.
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class TokenNamesMigrationTest {
  private static final MigrationVersion V5 = MigrationVersion.fromVersion("5");

  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;

  @Test
  void tokenRowsSurviveAndNamesBecomeUniquePerUser() throws Exception {
    TestDatabase db = backend.fresh(dataDir);
    Files.createDirectories(dataDir);
    migrateToJustBeforeV5(db);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO orgs (id, slug, name, created_at) VALUES ('org_a', 'acme', 'Acme', 1)");
      s.execute("INSERT INTO users (id, name, email, role, org_id, created_at) VALUES"
          + " ('usr_a', 'alice@acme.example', 'alice@acme.example', 'org_user', 'org_a', 2),"
          + " ('usr_b', 'bob', 'bob', 'org_user', NULL, 3)");
      s.execute("INSERT INTO tokens (id, name, user_id, token_hash, created_at, revoked_at, rate_limit_rps,"
          + " rate_limit_burst) VALUES"
          + " ('tok_a', 'laptop', 'usr_a', '" + TokenSecrets.hash("grok_alice") + "', 4, NULL, 7, 14),"
          + " ('tok_b', 'desktop', 'usr_b', '" + TokenSecrets.hash("grok_bob") + "', 5, 6, NULL, NULL)");
      s.execute("INSERT INTO request_log (at, tunnel, owner_name, method, path, status, duration_us, bytes_in,"
          + " bytes_out) VALUES (7, 'demo-acme', 'alice@acme.example', 'GET', '/', 200, 10, 0, 5)"); // V4's table
    }
    List<Map<String, Object>> before = tokenRows(db);

    try (TokenStore tokens = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      assertThat(tokenRows(db)).isEqualTo(before);
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT tunnel, owner_name FROM request_log")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("demo-acme alice@acme.example");
        assertThat(rs.next()).isFalse();
      }
      assertThat(tokens.authenticate("grok_alice")).map(TokenInfo::org).contains("acme");
      assertThat(tokens.authenticate("grok_bob")).isEmpty(); // revoked before, revoked after
      assertThat(tokens.rateLimits().all()).containsExactly(Map.entry("tok_a", RateLimit.of(7, 14)));

      CreatedToken bobsLaptop = tokens.create("laptop", "bob"); // alice has a "laptop": no longer an obstacle
      assertThat(tokens.authenticate(bobsLaptop.token())).map(TokenInfo::user).contains("bob");

      // The database itself now enforces (user, name), still token_hash and the owner's existence.
      try (Connection c = tokens.dataSource().getConnection(); Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute("INSERT INTO tokens (id, name, user_id, token_hash, created_at)"
            + " VALUES ('tok_x', 'laptop', 'usr_a', 'h1', 9)")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> s.execute("INSERT INTO tokens (id, name, user_id, token_hash, created_at)"
            + " VALUES ('tok_y', 'other', 'usr_a', '" + TokenSecrets.hash("grok_alice") + "', 9)"))
            .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> s.execute("INSERT INTO tokens (id, name, user_id, token_hash, created_at)"
            + " VALUES ('tok_z', 'other', 'usr_missing', 'h2', 9)")).isInstanceOf(SQLException.class);
      }
    }
    try (Connection c = db.connect()) {
      Set<String> indexes = new HashSet<>();
      // This test's schema only: a PostgreSQL test database is a schema next to other tests' (DatabaseBackend).
      try (ResultSet rs = c.getMetaData().getIndexInfo(null, c.getSchema(), "tokens", false, false)) {
        while (rs.next()) {
          if (rs.getString("INDEX_NAME") != null) {
            indexes.add(rs.getString("INDEX_NAME").toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
      assertThat(indexes).contains("tokens_user_id"); // V1's index survived the SQLite rebuild
    }
  }

  /** Every migration before V5 (V4 belongs to the request log, when present), as an older server left it. */
  private static void migrateToJustBeforeV5(TestDatabase db) {
    String[] locations = {"classpath:db/migration", "classpath:dev/grok/server/auth/migration"};
    MigrationVersion target = Arrays.stream(Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
            .locations(locations).load().info().all())
        .map(MigrationInfo::getVersion)
        .filter(v -> v.compareTo(V5) < 0)
        .max(MigrationVersion::compareTo).orElseThrow();
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations(locations).target(target)
        .load().migrate();
  }

  private static List<Map<String, Object>> tokenRows(TestDatabase db) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM tokens ORDER BY id")) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.put(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT), v == null ? null : v.toString());
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
