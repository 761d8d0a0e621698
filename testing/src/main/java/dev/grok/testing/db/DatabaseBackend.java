package dev.grok.testing.db;

import java.nio.file.Path;

/**
 * The databases the server runs on. Repository tests run once per constant, with JUnit's class parameterization:
 *
 * <pre>{@code
 * @ParameterizedClass
 * @EnumSource(DatabaseBackend.class)
 * class TokenStoreTest {
 *   @Parameter DatabaseBackend backend;
 *   @TempDir Path dir;
 *
 *   @BeforeEach void open() {
 *     TestDatabase db = backend.fresh(dir);   // a new empty database for each test
 *     store = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
 *   }
 * }
 * }</pre>
 */
public enum DatabaseBackend {
  /** The embedded default: {@code DATA_DIR/grok.db}. */
  SQLITE,
  /**
   * A fresh empty schema, as good as a database of its own, in the JVM's shared throwaway cluster
   * ({@link SharedPostgres}; see {@link PostgresCluster#createSchema()}).
   */
  POSTGRESQL;

  /** A new empty database of this kind; {@code dataDir} is the test's own (temporary) directory. */
  public TestDatabase fresh(Path dataDir) {
    return switch (this) {
      case SQLITE -> new TestDatabase(this, dataDir, null, null, null);
      case POSTGRESQL -> new TestDatabase(this, dataDir, SharedPostgres.cluster().createSchema(),
          PostgresCluster.USER, null);
    };
  }

  /** Lower case, as in test names: {@code [sqlite]}, {@code [postgresql]}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
