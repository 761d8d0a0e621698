package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server and the {@code token} CLI on one database (one SQLite data directory, or one PostgreSQL database): two
 * stores, each with its own pool, as two processes would have.
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class SharedDataDirTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private TestDatabase db;
  private TokenStore server;
  private TokenStore cli;

  @BeforeEach
  void open() {
    db = backend.fresh(dataDir);
    server = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
    cli = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
  }

  @AfterEach
  void close() {
    cli.close();
    server.close();
  }

  @Test
  void tokenCreatedByTheCliAuthenticatesAtTheServer() {
    CreatedToken created = cli.create("laptop", "alice");

    assertThat(server.authenticate(created.token())).map(TokenInfo::user).contains("alice");
    assertThat(server.list()).extracting(TokenInfo::id).containsExactly(created.id());
  }

  @Test
  void revocationByTheCliIsSeenByRevokedAmongAndEndsTheCachedEntry() {
    CreatedToken created = cli.create("laptop", "alice");
    assertThat(server.authenticate(created.token())).isPresent(); // cached at the server

    assertThat(cli.revoke("laptop")).isTrue();

    assertThat(server.revokedAmong(List.of(created.id()))).containsExactly(created.id());
    assertThat(server.authenticate(created.token())).isEmpty();
  }

  @Test
  void pollWithNoLiveSessionsStillDropsTokensRevokedElsewhere() {
    CreatedToken created = cli.create("laptop", "alice");
    CreatedToken kept = cli.create("desktop", "alice");
    assertThat(server.authenticate(created.token())).isPresent();
    assertThat(server.authenticate(kept.token())).isPresent();

    cli.revoke(created.id());

    assertThat(server.revokedAmong(Set.of())).isEmpty();
    assertThat(server.authenticate(created.token())).isEmpty();
    assertThat(server.authenticate(kept.token())).isPresent();
  }

  @Test
  void revocationByTheOtherStoreStopsAuthenticationOnceTheCacheEntryExpiresWithoutAPoll() {
    AtomicLong nanos = new AtomicLong(1_000);
    try (TokenStore node = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password(), nanos::get)) {
      CreatedToken created = cli.create("laptop", "alice");
      assertThat(node.authenticate(created.token())).isPresent(); // cached here

      assertThat(cli.revoke(created.id())).isTrue();

      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TokenStore.CACHE_TTL_MILLIS));
      assertThat(node.authenticate(created.token())).isEmpty();
      assertThat(node.authenticate(created.token())).isEmpty(); // and not cached as valid again
    }
  }

  @Test
  void pollRenewsTheEntriesStillValidSoTheyStayInMemory() {
    AtomicLong nanos = new AtomicLong(1_000);
    long ttlNanos = TimeUnit.MILLISECONDS.toNanos(TokenStore.CACHE_TTL_MILLIS);
    try (TokenStore node = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password(), nanos::get)) {
      CreatedToken created = cli.create("laptop", "alice");
      assertThat(node.authenticate(created.token())).isPresent();
      nanos.addAndGet(ttlNanos - 1);

      assertThat(node.revokedAmong(Set.of())).isEmpty(); // the poll: still valid, so renewed now
      node.close(); // from here on only the cache can answer
      nanos.addAndGet(ttlNanos - 1);

      assertThat(node.authenticate(created.token())).map(TokenInfo::name).contains("laptop");
    }
  }

  @Test
  void concurrentWritesFromBothStoresAllSucceed() throws Exception {
    int perStore = 25;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<CreatedToken>>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        TokenStore store = w % 2 == 0 ? server : cli;
        String prefix = "w" + w + "-";
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          List<CreatedToken> created = new ArrayList<>();
          for (int i = 0; i < perStore; i++) {
            created.add(store.create(prefix + i, "user" + (i % 3)));
            store.revokedAmong(List.of(created.getFirst().id()));
          }
          return created;
        }));
      }
      start.countDown();
      List<CreatedToken> all = new ArrayList<>();
      for (Future<List<CreatedToken>> f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(server.list()).hasSize(4 * perStore);
      for (CreatedToken t : all) {
        assertThat(server.authenticate(t.token())).isPresent();
        assertThat(cli.authenticate(t.token())).isPresent();
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
