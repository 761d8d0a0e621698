package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What reaches the database: the hash of a token, never the token. (The SQLite files themselves are checked in
 * {@link TokenStorageSqliteFilesTest}.)
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class TokenStorageTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;

  @Test
  void databaseRowsHoldTheSha256HexOfTheTokenNotTheToken() throws Exception {
    TestDatabase db = backend.fresh(dataDir);
    CreatedToken created;
    try (TokenStore store = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      created = store.create("laptop", "alice");
      assertThat(store.authenticate(created.token())).isPresent();
    }

    List<String> cells = new ArrayList<>();
    String storedHash = null;
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String table : List.of("users", "tokens")) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              cells.add(String.valueOf(rs.getObject(i)));
              if (meta.getColumnName(i).equalsIgnoreCase("token_hash")) {
                storedHash = rs.getString(i);
              }
            }
          }
        }
      }
    }
    assertThat(cells).isNotEmpty().allSatisfy(cell -> {
      assertThat(cell).doesNotContain(created.token());
      assertThat(cell).doesNotContain(created.token().substring("grok_".length()));
    });
    assertThat(storedHash).isEqualTo(sha256Hex(created.token())).matches("[0-9a-f]{64}");
  }

  static String sha256Hex(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
