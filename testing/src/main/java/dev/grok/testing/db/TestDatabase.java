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
  /** The CLI options that select this database, e.g. for a {@code grok-server} child process. */
  public java.util.List<String> cliOptions() {
    return url == null ? java.util.List.of("--data-dir", dataDir.toString())
        : java.util.List.of("--data-dir", dataDir.toString(), "--db-url", url, "--db-user", user);
  }
}
