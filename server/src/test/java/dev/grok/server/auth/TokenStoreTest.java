package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class TokenStoreTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private TestDatabase db;
  private TokenStore store;

  @BeforeEach
  void open() {
    db = backend.fresh(dataDir);
    store = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void createdTokenAuthenticatesAsItsUser() {
    Instant before = Instant.now().minusMillis(1);
    CreatedToken created = store.create("laptop", "alice");

    TokenInfo info = store.authenticate(created.token()).orElseThrow();

    assertThat(info.id()).isEqualTo(created.id());
    assertThat(info.name()).isEqualTo("laptop");
    assertThat(info.user()).isEqualTo("alice");
    assertThat(info.revoked()).isFalse();
    assertThat(info.createdAt()).isBetween(before, Instant.now().plusMillis(1));
  }

  @Test
  void createdTokenHasPrintableIdAndPrefixedRandomValue() {
    CreatedToken first = store.create("one", "alice");
    CreatedToken second = store.create("two", "alice");

    assertThat(first.id()).matches("tok_[a-z0-9]{10}");
    assertThat(first.token()).matches("grok_[A-Za-z0-9_-]{32}"); // 24 bytes, base64url without padding
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(first.toString()).doesNotContain(first.token());
  }

  @Test
  void unknownOrMalformedTokensDoNotAuthenticate() {
    store.create("laptop", "alice");

    assertThat(store.authenticate("grok_" + "A".repeat(32))).isEmpty();
    assertThat(store.authenticate(null)).isEmpty();
    assertThat(store.authenticate("")).isEmpty();
    assertThat(store.authenticate("x".repeat(10_000))).isEmpty();
  }

  @Test
  void listShowsEveryTokenOldestFirstWithItsState() {
    CreatedToken a = store.create("a", "alice");
    CreatedToken b = store.create("b", "bob");
    store.revoke("a");

    List<TokenInfo> tokens = store.list();

    assertThat(tokens).extracting(TokenInfo::id).containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(tokens).filteredOn(TokenInfo::revoked).extracting(TokenInfo::name).containsExactly("a");
    assertThat(tokens).extracting(TokenInfo::user).containsExactlyInAnyOrder("alice", "bob");
    assertThat(tokens).isSortedAccordingTo((x, y) -> x.createdAt().compareTo(y.createdAt()));
  }

  @Test
  void revokeByIdStopsAuthentication() {
    CreatedToken created = store.create("laptop", "alice");
    assertThat(store.authenticate(created.token())).isPresent(); // now cached

    assertThat(store.revoke(created.id())).isTrue();

    assertThat(store.authenticate(created.token())).isEmpty();
    assertThat(store.list()).singleElement().extracting(TokenInfo::revoked).isEqualTo(true);
  }

  @Test
  void revokeByNameStopsAuthentication() {
    CreatedToken created = store.create("laptop", "alice");
    CreatedToken other = store.create("desktop", "alice");
    assertThat(store.authenticate(created.token())).isPresent();

    assertThat(store.revoke("laptop")).isTrue();

    assertThat(store.authenticate(created.token())).isEmpty();
    assertThat(store.authenticate(other.token())).isPresent();
  }

  @Test
  void revokeOfUnknownTokenReturnsFalse() {
    store.create("laptop", "alice");

    assertThat(store.revoke("tok_0000000000")).isFalse();
    assertThat(store.revoke("nobody")).isFalse();
    assertThatThrownBy(() -> store.revoke(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void revokingTwiceKeepsTheTokenRevoked() {
    CreatedToken created = store.create("laptop", "alice");

    assertThat(store.revoke("laptop")).isTrue();
    assertThat(store.revoke(created.id())).isTrue();

    assertThat(store.authenticate(created.token())).isEmpty();
  }

  @Test
  void duplicateNameOfTheSameUserIsRejectedWithClearMessage() {
    store.create("laptop", "alice");

    assertThatThrownBy(() -> store.create("laptop", "alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'laptop' already exists for user 'alice'");
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void anotherUsersTokenNameIsNoObstacleAndNotRevealed() {
    CreatedToken alices = store.create("laptop", "alice@acme.example");

    CreatedToken bobs = store.create("laptop", "bob@globex.example");

    assertThat(bobs.id()).isNotEqualTo(alices.id());
    assertThat(store.authenticate(bobs.token())).map(TokenInfo::user).contains("bob@globex.example");
    assertThat(store.authenticate(alices.token())).map(TokenInfo::user).contains("alice@acme.example");
    assertThatThrownBy(() -> store.create("laptop", "bob@globex.example"))
        .hasMessageContaining("already exists for user 'bob@globex.example'").hasMessageNotContaining("alice");
  }

  @Test
  void revokeByANameThatSeveralUsersShareAsksForTheId() {
    CreatedToken alices = store.create("laptop", "alice");
    CreatedToken bobs = store.create("laptop", "bob");

    assertThatThrownBy(() -> store.revoke("laptop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to 2 tokens").hasMessageContaining("expected: one token's ID");
    assertThat(store.authenticate(alices.token())).isPresent();
    assertThat(store.revoke(bobs.id())).isTrue();
    assertThat(store.authenticate(bobs.token())).isEmpty();
    assertThat(store.authenticate(alices.token())).isPresent();
  }

  @Test
  void adminTokenNamesCountOnlyTheAdminsOwnTokens() {
    store.create("admin", "alice"); // alice's "admin" does not push the bootstrap token to "admin-2"

    String raw = store.ensureAdminToken(dataDir).orElseThrow();

    assertThat(store.authenticate(raw)).map(TokenInfo::name).contains("admin");
  }

  @Test
  void revokedTokenStillHoldsItsName() {
    store.create("laptop", "alice");
    store.revoke("laptop");

    assertThatThrownBy(() -> store.create("laptop", "alice")).hasMessageContaining("already exists");
  }

  @Test
  void invalidNamesAreRejected() {
    assertThatThrownBy(() -> store.create("my laptop", "alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: 'my laptop' (expected: 1-64 characters of [A-Za-z0-9._-], starting with a letter or "
            + "digit)");
    assertThatThrownBy(() -> store.create("", "alice")).hasMessageStartingWith("name: ''");
    assertThatThrownBy(() -> store.create("a".repeat(65), "alice")).hasMessageStartingWith("name: ");
    assertThatThrownBy(() -> store.create("-x", "alice")).hasMessageStartingWith("name: '-x'");
    assertThatThrownBy(() -> store.create("tok_abc", "alice")).hasMessageContaining("not starting with 'tok_'");
    assertThatThrownBy(() -> store.create("laptop", null)).hasMessageStartingWith("user: 'null'");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void userIsCreatedOnceForManyTokens() throws Exception {
    store.create("one", "alice");
    store.create("two", "alice");
    store.create("three", "bob");

    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT name, COUNT(*) FROM users GROUP BY name ORDER BY name");
        ResultSet rs = s.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("alice");
      assertThat(rs.getInt(2)).isEqualTo(1);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("bob");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void revokedAmongReportsRevokedAndUnknownIdsOnly() {
    CreatedToken kept = store.create("kept", "alice");
    CreatedToken dropped = store.create("dropped", "alice");
    store.revoke(dropped.id());

    Set<String> revoked = store.revokedAmong(List.of(kept.id(), dropped.id(), "tok_unknown000"));

    assertThat(revoked).containsExactlyInAnyOrder(dropped.id(), "tok_unknown000");
    assertThat(store.revokedAmong(List.of())).isEmpty();
  }

  @Test
  void revokedAmongHandlesMoreIdsThanOneQueryHolds() {
    CreatedToken kept = store.create("kept", "alice");
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < TokenRepository.MAX_IDS_PER_QUERY * 2 + 7; i++) {
      ids.add(String.format("tok_%010d", i));
    }
    ids.add(kept.id());

    Set<String> revoked = store.revokedAmong(ids);

    assertThat(revoked).hasSize(ids.size() - 1).doesNotContain(kept.id());
  }

  @Test
  void repeatedAuthenticationIsServedFromMemoryWithinTheTtl() {
    AtomicLong nanos = new AtomicLong();
    TokenStore frozen = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password(), nanos::get);
    CreatedToken created = frozen.create("laptop", "alice");
    assertThat(frozen.authenticate(created.token())).isPresent();

    // With the pool closed there is no database at all: only the cache can answer.
    frozen.close();
    nanos.set(TimeUnit.MILLISECONDS.toNanos(TokenStore.CACHE_TTL_MILLIS) - 1);
    for (int i = 0; i < 1_000; i++) {
      assertThat(frozen.authenticate(created.token())).map(TokenInfo::name).contains("laptop");
    }
    assertThatThrownBy(() -> frozen.authenticate("grok_unknown")).isInstanceOf(TokenStoreException.class);
    // Past the TTL the entry is checked again: the closed pool shows that the database is asked.
    nanos.set(TimeUnit.MILLISECONDS.toNanos(TokenStore.CACHE_TTL_MILLIS));
    assertThatThrownBy(() -> frozen.authenticate(created.token())).isInstanceOf(TokenStoreException.class);
  }
}
