package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches the disk: the hash of a token, never the token. */
class TokenStorageTest {
  @TempDir Path dataDir;

  @Test
  void databaseRowsHoldTheSha256HexOfTheTokenNotTheToken() throws Exception {
    CreatedToken created;
    try (TokenStore store = TokenStore.open(dataDir, null, null, null)) {
      created = store.create("laptop", "alice");
      assertThat(store.authenticate(created.token())).isPresent();
    }

    List<String> cells = new ArrayList<>();
    String storedHash = null;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("grok.db"));
        Statement s = c.createStatement()) {
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

  @Test
  void noFileInTheDataDirContainsTheToken() throws Exception {
    TokenStore store = TokenStore.open(dataDir, null, null, null);
    CreatedToken created;
    try {
      created = store.create("laptop", "alice");
      store.authenticate(created.token());
      // While open: the write-ahead log holds the fresh rows.
      assertNoFileContains(created.token());
    } finally {
      store.close();
    }
    // After close: the log was checkpointed into grok.db.
    assertNoFileContains(created.token());
  }

  private void assertNoFileContains(String token) throws Exception {
    byte[] needle = token.substring("grok_".length()).getBytes(StandardCharsets.UTF_8);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("grok.db");
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      assertThat(indexOf(content, needle)).as("token found in %s", file).isEqualTo(-1);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static String sha256Hex(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
