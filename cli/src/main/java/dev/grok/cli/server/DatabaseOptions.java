package dev.grok.cli.server;

import dev.grok.cli.options.Converters;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the server keeps its state: the data dir (embedded SQLite, secrets) or an external database. */
public final class DatabaseOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./grok-data",
      description = "Embedded database (SQLite), certificates, generated secrets (default: ./grok-data).")
  Path dataDir;

  @Option(names = "--db-url", paramLabel = "URL", converter = Converters.JdbcUrl.class,
      description = "External database, e.g. jdbc:postgresql://host/db (default: SQLite in the data dir).")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "User for --db-url.")
  String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD",
      description = "Password for --db-url (prefer GROK_DB_PASSWORD or the config file to a flag).")
  String dbPassword;

  public Path dataDir() {
    return dataDir;
  }

  /** JDBC URL of the external database, null for the embedded one. */
  public String dbUrl() {
    return dbUrl;
  }

  public String dbUser() {
    return dbUser;
  }

  public String dbPassword() {
    return dbPassword;
  }
}
