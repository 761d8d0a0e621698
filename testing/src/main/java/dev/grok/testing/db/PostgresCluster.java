package dev.grok.testing.db;

import dev.grok.testing.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: Debian's binaries ({@code /usr/lib/postgresql/VERSION/bin}, the newest
 * version installed) initialise it in a fresh temporary directory and start it on a free loopback port, with trust
 * authentication for user {@value #USER}, fsync off and its Unix socket inside that directory (never in
 * {@code /var/run/postgresql}, so it cannot meet a system cluster). {@link #close()} stops it ({@code pg_ctl stop -m
 * fast}) and deletes the directory.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM runs as root (CI, the developers' machines), every binary runs
 * as the {@code postgres} user through {@code runuser -u postgres --}, and the directory is handed to that user;
 * otherwise the binaries run as the current user.
 *
 * <p>Each {@link #createSchema()} (or, dearer, {@link #createDatabase()}) gives a test an empty place of its own, so
 * tests never see each other's rows; one cluster serves a whole test run (see {@link SharedPostgres}). Starting
 * takes about 3 s on a loaded 2-core machine.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.start()) {
 *   String url = pg.createDatabase(); // jdbc:postgresql://127.0.0.1:PORT/grok_test_1
 *   ... DriverManager.getConnection(url, PostgresCluster.USER, null) ...
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {
  /** The superuser that {@code initdb} creates; trust authentication, so no password. */
  public static final String USER = "postgres";

  /** Where Debian installs the server binaries, one directory per major version. */
  static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  /** Seconds {@code pg_ctl} waits for the server to start or stop. */
  static final int PG_CTL_WAIT_SECONDS = 60;

  /** The one database that holds the schemas of {@link #createSchema()}. */
  static final String SCHEMAS_DATABASE = "grok_schemas";

  /** A port that was free a moment ago may be taken before postgres binds it: try a few. */
  private static final int START_ATTEMPTS = 3;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;
  private final AtomicInteger databases = new AtomicInteger();
  /** Whether {@value #SCHEMAS_DATABASE} exists; guarded by this. */
  private boolean schemasCreated;
  private boolean closed;

  private PostgresCluster(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** Whether Debian's PostgreSQL server binaries are installed ({@code apt-get install postgresql}). */
  public static boolean available() {
    return findBin() != null;
  }

  /** Initialises and starts a new cluster; fails with what to install when the binaries are missing. */
  public static PostgresCluster start() {
    Path bin = findBin();
    if (bin == null) {
      throw new IllegalStateException("PostgreSQL server binaries not found under " + DEBIAN_ROOT
          + "/*/bin (expected: Debian's postgresql package; run 'apt-get install postgresql')");
    }
    boolean asPostgres = isRoot();
    Path dir = createDir(asPostgres);
    try {
      run(bin, asPostgres, dir, List.of("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "-A", "trust",
          "-E", "UTF8", "--no-locale", "--no-sync"));
      IllegalStateException last = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        int port = FreePort.find();
        try {
          run(bin, asPostgres, dir, List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-l",
              dir.resolve("postgres.log").toString(), "-w", "-t", String.valueOf(PG_CTL_WAIT_SECONDS), "-o",
              "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                  + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"));
          return new PostgresCluster(bin, dir, port, asPostgres);
        } catch (IllegalStateException e) {
          last = e; // most likely the port was taken meanwhile; the log says
        }
      }
      throw last;
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** The loopback port the cluster listens on. */
  public int port() {
    return port;
  }

  /** JDBC URL of database {@code name}. */
  public String jdbcUrl(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /** Creates a new empty database and returns its JDBC URL (user {@value #USER}, no password). */
  public String createDatabase() {
    String name = "grok_test_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " on port " + port + ": " + e.getMessage(),
          e);
    }
    return jdbcUrl(name);
  }

  /**
   * Creates a new empty schema and returns the JDBC URL that makes it the connection's only schema
   * ({@code currentSchema}), so that whatever connects through it (the server, Flyway, a test's assertions) sees
   * an empty database of its own. All such schemas live in one database, {@value #SCHEMAS_DATABASE}: a schema
   * costs a few milliseconds where {@code CREATE DATABASE} copies a template (some 300 files, most of a second on
   * a loaded machine), and the cluster's directory stays small to delete.
   */
  public String createSchema() {
    String name = "grok_test_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(schemasDatabase(), USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + name + " on port " + port + ": " + e.getMessage(),
          e);
    }
    return jdbcUrl(SCHEMAS_DATABASE) + "?currentSchema=" + name;
  }

  /** The URL of the database that holds {@link #createSchema()}'s schemas, created on first use. */
  private synchronized String schemasDatabase() {
    if (!schemasCreated) {
      try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, null);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + SCHEMAS_DATABASE);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create database " + SCHEMAS_DATABASE + " on port " + port + ": "
            + e.getMessage(), e);
      }
      schemasCreated = true;
    }
    return jdbcUrl(SCHEMAS_DATABASE);
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Stops the server now and leaves the deletion of its directory to a detached {@code rm -rf}, which outlives this
   * JVM: for a shutdown hook. Each database is some 300 files, and a test run makes dozens; deleting them one by one
   * on a loaded machine took longer than surefire grants a forked JVM to exit (30 s), so it killed the JVM midway
   * and left the directory behind. Idempotent, and a no-op after {@link #close()}.
   */
  public synchronized void stopAndDeleteInBackground() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      try {
        new ProcessBuilder("rm", "-rf", "--", dir.toString()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      } catch (IOException e) {
        deleteTree(dir); // no rm: delete here after all
      }
    }
  }

  private void stop() {
    run(bin, asPostgres, dir, List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t",
        String.valueOf(PG_CTL_WAIT_SECONDS), "stop"));
  }

  @Override
  public String toString() {
    return "PostgresCluster[port=" + port + ", dir=" + dir + "]";
  }

  /** The {@code bin} directory of the newest major version installed, or null. */
  static Path findBin() {
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
      return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
          .filter(v -> Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl")))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
          .map(v -> v.resolve("bin"))
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + DEBIAN_ROOT, e);
    }
  }

  private static boolean isRoot() {
    return System.getProperty("user.name", "").equals("root");
  }

  /** A temporary directory the server's user owns (postgres insists on owning its data directory). */
  private static Path createDir(boolean asPostgres) {
    try {
      Path dir = Files.createTempDirectory("grok-pg-");
      if (asPostgres) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        Files.setOwner(dir, postgres);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the PostgreSQL cluster", e);
    }
  }

  /** Runs one binary to completion (output to {@code dir/NAME.out}); fails with its output on a non-zero exit. */
  private static void run(Path bin, boolean asPostgres, Path dir, List<String> args) {
    List<String> command = new ArrayList<>();
    if (asPostgres) {
      command.addAll(List.of("runuser", "-u", USER, "--"));
    }
    command.add(bin.resolve(args.get(0)).toString());
    command.addAll(args.subList(1, args.size()));
    Path output = dir.resolve(args.get(0) + ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).directory(dir.toFile());
      // Messages in English whatever the machine's locale, and no inherited PG* variable steering elsewhere.
      builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
      builder.environment().put("LC_ALL", "C");
      Process p = builder.start();
      if (!p.waitFor(PG_CTL_WAIT_SECONDS + 30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + (PG_CTL_WAIT_SECONDS + 30) + " s" + tail(output, dir));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + tail(output, dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static String tail(Path output, Path dir) {
    StringBuilder b = new StringBuilder();
    for (Path f : List.of(output, dir.resolve("postgres.log"))) {
      try {
        if (Files.exists(f)) {
          List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
          b.append("\n--- ").append(f.getFileName()).append(" ---\n")
              .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
      } catch (IOException e) {
        b.append("\n(cannot read ").append(f).append(": ").append(e.getMessage()).append(')');
      }
    }
    return b.toString();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("PostgresCluster: cannot delete " + dir + ": " + e.getMessage());
    }
  }
}
