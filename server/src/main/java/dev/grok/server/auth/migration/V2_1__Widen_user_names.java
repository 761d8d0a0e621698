package dev.grok.server.auth.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code users.name} (VARCHAR(64) in V1) holds an account's email since V2, which may be up to 254 characters.
 * PostgreSQL enforces the length and changes it in place; SQLite neither enforces declared lengths nor can alter a
 * column, so there this migration does nothing. A Java migration because one SQL file cannot say both.
 */
public final class V2_1__Widen_user_names extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    String product = context.getConnection().getMetaData().getDatabaseProductName();
    if (product.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
      try (Statement s = context.getConnection().createStatement()) {
        s.execute("ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(254)");
      }
    }
  }
}
