package dev.grok.server.auth;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the server's database and brings its schema up to date with the Flyway migrations in
 * {@code db/migration}.
 *
 * <p>By default the database is the SQLite file {@code DATA_DIR/grok.db}. Every SQLite connection runs in WAL mode
 * with a busy timeout of {@value #SQLITE_BUSY_TIMEOUT_MILLIS} ms and {@code BEGIN IMMEDIATE} transactions, so that the
 * {@code token create}/{@code revoke} CLI can write while a server on the same data directory runs in another
 * process: readers never block the writer, and a writer that finds the database locked waits instead of failing.
 * Any other JDBC URL (such as {@code jdbc:postgresql://host/db}) is opened as given.
 *
 * <p>Both kinds sit behind a small HikariCP pool. SQLite connections are cheap, but each one must be configured
 * (pragmas) and opening one re-reads the schema; the pool keeps a few configured connections open and lets both
 * backends share one code path and one {@code close()}.
 */
public final class DataSources {
  /** File name of the embedded database inside the data directory. */
  public static final String SQLITE_FILE = "grok.db";

  /** How long an SQLite connection waits for another connection's (or process's) write lock before failing. */
  public static final int SQLITE_BUSY_TIMEOUT_MILLIS = 5_000;

  /** Token lookups are cached and writes are rare: a few connections are plenty for the server and the CLI. */
  static final int MAX_POOL_SIZE = 4;

  private static final String SQLITE_PREFIX = "jdbc:sqlite:";
  private static final String MIGRATIONS = "classpath:db/migration";
  /** Java migrations, for the changes that SQLite and PostgreSQL spell differently. */
  private static final String JAVA_MIGRATIONS = "classpath:dev/grok/server/auth/migration";

  private DataSources() {}

  /**
   * Opens the database and migrates it.
   *
   * @param dataDir directory of the embedded database (created when missing); used only when dbUrl is null
   * @param dbUrl JDBC URL of an external database, or null for {@code dataDir/grok.db}
   * @param dbUser user for dbUrl, may be null
   * @param dbPassword password for dbUrl, may be null
   * @return a migrated pool that the caller closes
   */
  public static HikariDataSource open(Path dataDir, String dbUrl, String dbUser, String dbPassword) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("grok-db");
    config.setMaximumPoolSize(MAX_POOL_SIZE);
    config.setMinimumIdle(1);
    Path migrationLock = null;
    if (dbUrl == null) {
      if (dataDir == null) {
        throw new IllegalArgumentException("dataDir: null (expected: a directory when no database URL is given)");
      }
      createDirectories(dataDir);
      config.setDataSource(sqlite(SQLITE_PREFIX + dataDir.resolve(SQLITE_FILE).toAbsolutePath()));
      migrationLock = dataDir.resolve(SQLITE_FILE + ".migrate.lock");
    } else if (dbUrl.startsWith(SQLITE_PREFIX)) {
      config.setDataSource(sqlite(dbUrl));
    } else if (dbUrl.startsWith("jdbc:")) {
      config.setJdbcUrl(dbUrl);
      config.setUsername(dbUser);
      config.setPassword(dbPassword);
    } else {
      throw new IllegalArgumentException("db-url: '" + dbUrl + "' (expected: a JDBC URL such as "
          + "jdbc:postgresql://HOST:5432/DB)");
    }
    HikariDataSource pool = new HikariDataSource(config);
    try {
      if (migrationLock != null) {
        migrateLocked(pool, migrationLock);
      } else {
        migrate(pool);
      }
      return pool;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Applies the migrations that this database has not seen yet; harmless when it is up to date.
   *
   * @return how many migrations were applied now
   */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure(DataSources.class.getClassLoader())
        .dataSource(dataSource)
        .locations(MIGRATIONS, JAVA_MIGRATIONS)
        .failOnMissingLocations(true)
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * Flyway takes no lock on SQLite (its lock is a no-op there), so a server and a {@code token create} started
   * together on a fresh data directory could both try to create the schema. An OS file lock serialises them across
   * processes; the class monitor serialises threads of this JVM, which the OS lock does not (the JVM would throw
   * OverlappingFileLockException instead).
   */
  private static void migrateLocked(DataSource dataSource, Path lockFile) {
    synchronized (DataSources.class) {
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock(); // released by closing the channel at the latest
        try {
          migrate(dataSource);
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + lockFile + " to migrate the database", e);
      }
    }
  }

  private static SQLiteDataSource sqlite(String url) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL is durable in WAL mode except for the last transactions before a power loss; plenty for tokens.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
    config.enforceForeignKeys(true);
    // A deferred transaction that reads and then writes cannot wait for a concurrent writer in WAL mode (it fails
    // at once with SQLITE_BUSY); IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    return dataSource;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
  }
}
