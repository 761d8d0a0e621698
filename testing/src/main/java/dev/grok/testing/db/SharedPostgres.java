package dev.grok.testing.db;

/**
 * The one {@link PostgresCluster} of a test JVM: started by the first test that asks for it, stopped by a shutdown
 * hook when the JVM exits (its directory is then deleted by a detached {@code rm -rf}, so that the JVM exits at
 * once), so a whole surefire run pays the start-up once. Each
 * test still gets a database of its own from {@link PostgresCluster#createDatabase()}.
 *
 * <p>A JVM killed with SIGKILL leaves the cluster running; its directory under {@code java.io.tmpdir} is named
 * {@code grok-pg-*} and {@code pg_ctl -D DIR/data stop} ends it.
 */
public final class SharedPostgres {
  /** Null until the first {@link #cluster()}; guarded by the class monitor. */
  private static PostgresCluster cluster;

  private SharedPostgres() {}

  /** The running cluster, started now when this is the first call. */
  public static synchronized PostgresCluster cluster() {
    if (cluster == null) {
      PostgresCluster started = PostgresCluster.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::stopAndDeleteInBackground, "grok-pg-stop"));
      cluster = started;
    }
    return cluster;
  }
}
