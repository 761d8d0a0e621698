package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite only, by nature: the embedded database is files in the data directory (grok.db and its write-ahead log),
 * and none of them may hold a raw token. PostgreSQL keeps its files elsewhere; the rows themselves are checked on
 * both backends by {@link TokenStorageTest}.
 */
class TokenStorageSqliteFilesTest {
  @TempDir Path dataDir;

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
}
