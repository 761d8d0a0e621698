package dev.grok.testing.db;

import java.nio.file.Path;

/**
 * Where a test's database is, in the shape the server takes it ({@code --data-dir} or {@code --db-url},
 * {@code --db-user}, {@code --db-password}).
 *
 * @param backend which kind
 * @param dataDir the data directory (the SQLite file lives here; with PostgreSQL only secrets such as
 *     {@code admin.token} do)
 * @param url JDBC URL, null for the embedded SQLite database under dataDir
 * @param user database user, null for SQLite
 * @param password database password, null (the test cluster trusts loopback)
 */
public record TestDatabase(DatabaseBackend backend, Path dataDir, String url, String user, String password) {
  /** The JDBC URL the server ends up using: {@code url}, or the SQLite file {@code DATA_DIR/grok.db}. */
  public String jdbcUrl() {
    return url != null ? url : "jdbc:sqlite:" + dataDir.resolve("grok.db").toAbsolutePath();
  }

  /** A plain JDBC connection to this database, for assertions on its tables; the caller closes it. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(jdbcUrl(), user, password);
  }

  /** The CLI options that select this database, e.g. for a {@code grok-server} child process. */
  public java.util.List<String> cliOptions() {
    return url == null ? java.util.List.of("--data-dir", dataDir.toString())
        : java.util.List.of("--data-dir", dataDir.toString(), "--db-url", url, "--db-user", user);
  }
}
