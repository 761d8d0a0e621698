package dev.grok.server.auth.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Token names become unique per user instead of server-wide: {@code UNIQUE (user_id, name)} replaces V1's
 * {@code UNIQUE (name)}, so that creating a token reveals nothing about other users' (other orgs') token names.
 *
 * <p>PostgreSQL drops the constraint and adds the new one in place. SQLite cannot drop a constraint that was declared
 * in {@code CREATE TABLE} (its automatic index belongs to the table), so there the table is rebuilt the way SQLite's
 * documentation prescribes ("Making Other Kinds Of Table Schema Changes"): a new table made from the stored
 * {@code CREATE TABLE} text with only this constraint changed (so every column any earlier migration added is
 * kept, in order), all rows copied, the old table dropped, the new one renamed, its indexes re-created; all inside
 * Flyway's transaction for this migration, so a failure leaves the old table as it was. The drop would delete rows
 * of any table that references {@code tokens}; none does, and the migration refuses to run if one ever does.
 */
public final class V5__Token_names_unique_per_user extends BaseJavaMigration {
  /** V1's column, as SQLite keeps it in {@code sqlite_master}. */
  private static final Pattern NAME_COLUMN =
      Pattern.compile("(\\bname\\s+VARCHAR\\(64\\)\\s+NOT\\s+NULL)\\s+UNIQUE\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern CREATE_TOKENS =
      Pattern.compile("^CREATE\\s+TABLE\\s+\"?tokens\"?\\s*\\(", Pattern.CASE_INSENSITIVE);

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    try (Statement s = c.createStatement()) {
      if (product.contains("postgres")) {
        // V1's inline UNIQUE got PostgreSQL's default name; no IF EXISTS: a differently named one must not survive.
        s.execute("ALTER TABLE tokens DROP CONSTRAINT tokens_name_key");
        s.execute("ALTER TABLE tokens ADD CONSTRAINT tokens_user_id_name_key UNIQUE (user_id, name)");
      } else if (product.contains("sqlite")) {
        rebuildSqlite(s);
      } else {
        throw new IllegalStateException("database '" + product + "' (expected: SQLite or PostgreSQL)");
      }
    }
  }

  private static void rebuildSqlite(Statement s) throws SQLException {
    List<String> referrers = strings(s, "SELECT m.name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f"
        + " WHERE m.type = 'table' AND m.name <> 'tokens' AND lower(f.\"table\") = 'tokens'");
    if (!referrers.isEmpty()) {
      throw new IllegalStateException("tables " + referrers + " reference tokens: rebuilding tokens would delete"
          + " their rows (expected: no foreign key to tokens; this migration must be extended first)");
    }
    List<String> create = strings(s, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tokens'");
    if (create.size() != 1) {
      throw new IllegalStateException("no table tokens (expected: the table of migration V1)");
    }
    Matcher column = NAME_COLUMN.matcher(create.getFirst());
    Matcher head = CREATE_TOKENS.matcher(create.getFirst());
    String body = create.getFirst().strip();
    if (!column.find() || !head.find() || !body.endsWith(")")) {
      throw new IllegalStateException("unexpected definition of tokens: " + create.getFirst()
          + " (expected: V1's, with 'name VARCHAR(64) NOT NULL UNIQUE')");
    }
    String rebuilt = column.replaceFirst("$1");
    rebuilt = CREATE_TOKENS.matcher(rebuilt).replaceFirst("CREATE TABLE tokens_v5 (");
    rebuilt = rebuilt.strip();
    rebuilt = rebuilt.substring(0, rebuilt.length() - 1) + ",\n  UNIQUE (user_id, name)\n)";
    // The indexes made by CREATE INDEX (the automatic ones have no SQL and go with their table).
    List<String> indexes = strings(s, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens'"
        + " AND sql IS NOT NULL ORDER BY name");

    s.execute(rebuilt);
    s.execute("INSERT INTO tokens_v5 SELECT * FROM tokens");
    s.execute("DROP TABLE tokens");
    s.execute("ALTER TABLE tokens_v5 RENAME TO tokens");
    for (String index : indexes) {
      s.execute(index);
    }
  }

  private static List<String> strings(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
