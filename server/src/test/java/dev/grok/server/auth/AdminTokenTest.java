package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The zero-configuration bootstrap: the admin token's file lives in the data directory whatever the database, so
 * these run on both backends (with PostgreSQL the data directory holds the file and nothing else).
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class AdminTokenTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private TestDatabase db;
  private TokenStore store;

  @BeforeEach
  void open() {
    db = backend.fresh(dataDir);
    store = open(db);
  }

  private static TokenStore open(TestDatabase db) {
    return TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void firstStartWritesAnAdminTokenReadableByItsOwnerOnly() throws Exception {
    String token = store.ensureAdminToken(dataDir).orElseThrow();

    Path file = dataDir.resolve("admin.token");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    TokenInfo info = store.authenticate(token).orElseThrow();
    assertThat(info.name()).isEqualTo("admin");
    assertThat(info.user()).isEqualTo("admin");
    assertThat(listFileNames()).noneMatch(name -> name.endsWith(".tmp"));
  }

  @Test
  void secondStartKeepsTheValidToken() throws Exception {
    String token = store.ensureAdminToken(dataDir).orElseThrow();

    assertThat(store.ensureAdminToken(dataDir)).isEmpty();
    store.close();
    try (TokenStore reopened = open(db)) {
      assertThat(reopened.ensureAdminToken(dataDir)).isEmpty();
      assertThat(reopened.list()).hasSize(1);
    }
    assertThat(Files.readString(dataDir.resolve("admin.token"))).isEqualTo(token);
  }

  @Test
  void revokedAdminTokenIsReplacedUnderTheNextFreeName() throws Exception {
    String first = store.ensureAdminToken(dataDir).orElseThrow();
    store.revoke("admin");

    String second = store.ensureAdminToken(dataDir).orElseThrow();
    store.revoke("admin-2");
    String third = store.ensureAdminToken(dataDir).orElseThrow();

    assertThat(second).isNotEqualTo(first);
    assertThat(store.authenticate(second)).isEmpty();
    assertThat(store.authenticate(third)).map(TokenInfo::name).contains("admin-3");
    Path file = dataDir.resolve("admin.token");
    assertThat(Files.readString(file)).isEqualTo(third);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void unknownTokenInTheFileIsReplaced() throws Exception {
    Files.writeString(dataDir.resolve("admin.token"), "grok_not-a-token-of-this-database\n");

    Optional<String> token = store.ensureAdminToken(dataDir);

    assertThat(token).isPresent();
    assertThat(Files.readString(dataDir.resolve("admin.token"))).isEqualTo(token.get());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("admin.token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void fileWithTrailingNewlineStillCounts() throws Exception {
    String token = store.ensureAdminToken(dataDir).orElseThrow();
    Files.writeString(dataDir.resolve("admin.token"), token + "\n");

    assertThat(store.ensureAdminToken(dataDir)).isEmpty();
  }

  @Test
  void widenedPermissionsAreNarrowedAgain() throws Exception {
    store.ensureAdminToken(dataDir).orElseThrow();
    Path file = dataDir.resolve("admin.token");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(store.ensureAdminToken(dataDir)).isEmpty();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void adminTokenIsStoredNowhereElseInTheDataDir() throws Exception {
    String token = store.ensureAdminToken(dataDir).orElseThrow();
    store.close();

    byte[] secret = token.substring("grok_".length()).getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        boolean holds = content.contains(new String(secret, StandardCharsets.ISO_8859_1));
        boolean isTokenFile = f.getFileName().toString().equals("admin.token");
        assertThat(holds).as("token in %s", f.getFileName()).isEqualTo(isTokenFile);
      }
    }
  }

  private List<String> listFileNames() throws Exception {
    try (Stream<Path> files = Files.list(dataDir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
