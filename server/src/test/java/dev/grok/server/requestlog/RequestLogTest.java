package dev.grok.server.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Org;
import dev.grok.server.auth.PasswordHasher;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.metrics.ErrorKind;
import dev.grok.server.metrics.ServerMetrics;
import dev.grok.server.registry.RecordingOwner;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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

/**
 * The request log on a real database, SQLite and PostgreSQL: batches, pages, filters, scope, the two retentions on
 * a fake clock, and the bounded queue. The writer's steps ({@link RequestLog#writeQueued()},
 * {@link RequestLog#pruneIfDue()}) are called by the test instead of the writer thread.
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class RequestLogTest {
  private static final InetSocketAddress VISITOR = new InetSocketAddress("203.0.113.7", 51234);

  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
  private TokenStore tokens;
  private RequestLogRepository repository;

  @BeforeEach
  void open() {
    TestDatabase db = backend.fresh(dataDir);
    tokens = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
    repository = new RequestLogRepository(tokens.dataSource());
  }

  @AfterEach
  void close() {
    tokens.close();
  }

  private RequestLog log(int retention, Duration maxAge) {
    return new RequestLog(repository, new RequestLogConfig(retention, maxAge), clock::get, 4096);
  }

  private static void offer(RequestLog log, String tunnel, String owner, String method, String path, int status) {
    log.offer(tunnel, owner, method, path, status, null, TimeUnit.MICROSECONDS.toNanos(2_500), 3, 5, VISITOR);
  }

  @Test
  void queuedExchangesAreWrittenInBatchesAndReadNewestFirstWithEveryField() {
    RequestLog log = log(5000, Duration.ofDays(7));
    int n = RequestLog.BATCH_ROWS * 2 + 7; // three transactions
    for (int i = 0; i < n; i++) {
      offer(log, "demo", "alice", "GET", "/item?n=" + i, 200);
    }
    log.offer("demo", "alice", "POST", "/x".repeat(RequestLog.MAX_PATH_CHARS), 0, ErrorKind.LOCAL_REFUSED.label,
        TimeUnit.MILLISECONDS.toNanos(7), 11, 0, null);
    assertThat(log.writeQueued()).isEqualTo(n + 1);
    assertThat(log.written()).isEqualTo(n + 1);
    assertThat(log.writeQueued()).isZero();

    RequestLog.Page page = log.page(RequestLogQuery.newest("demo", 2));
    LoggedRequest failed = page.requests().get(0);
    assertThat(failed.method()).isEqualTo("POST");
    assertThat(failed.path()).hasSize(RequestLog.MAX_PATH_CHARS); // cut to the column's width
    assertThat(failed.status()).isZero();
    assertThat(failed.error()).isEqualTo("local_refused");
    assertThat(failed.remoteAddr()).isNull();
    assertThat(failed.durationMicros()).isEqualTo(7_000);
    LoggedRequest last = page.requests().get(1);
    assertThat(last).isEqualTo(new LoggedRequest(last.id(), clock.get(), "demo", "GET", "/item?n=" + (n - 1), 200,
        2_500, 3, 5, "203.0.113.7", null));
    assertThat(last.id()).isLessThan(failed.id());
    assertThat(page.nextBefore()).isEqualTo(last.id());
  }

  @Test
  void pagesFollowNextBeforeDownToTheOldestRowAndThenStop() {
    RequestLog log = log(1000, Duration.ofDays(7));
    for (int i = 0; i < 120; i++) {
      offer(log, "pages", "alice", "GET", "/p" + i, 200);
      offer(log, "other", "alice", "GET", "/o" + i, 200); // interleaved: ids of one tunnel are not consecutive
    }
    log.writeQueued();
    List<String> paths = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Long before = null;
    do {
      RequestLog.Page page = log.page(RequestLogQuery.parse("pages", before == null ? null : before.toString(),
          "50", null, null, null));
      sizes.add(page.requests().size());
      page.requests().forEach(r -> paths.add(r.path()));
      before = page.nextBefore();
    } while (before != null);
    assertThat(sizes).containsExactly(50, 50, 20);
    assertThat(paths).hasSize(120).doesNotHaveDuplicates().startsWith("/p119", "/p118").endsWith("/p1", "/p0");
    // exactly a page's worth left: the last full page says so by next_before null
    RequestLog.Page all = log.page(RequestLogQuery.parse("pages", null, "120", null, null, null));
    assertThat(all.requests()).hasSize(120);
    assertThat(all.nextBefore()).isNull();
  }

  @Test
  void filtersSelectByMethodStatusOrStatusClassAndPathText() {
    RequestLog log = log(1000, Duration.ofDays(7));
    offer(log, "f", "alice", "GET", "/Users/1", 200);
    offer(log, "f", "alice", "POST", "/users?name=a_b", 201);
    offer(log, "f", "alice", "GET", "/missing", 404);
    offer(log, "f", "alice", "GET", "/boom", 502);
    offer(log, "f", "alice", "DELETE", "/users/50%25", 503);
    log.writeQueued();
    assertThat(paths("f", "post", null, null)).containsExactly("/users?name=a_b");
    assertThat(paths("f", null, "404", null)).containsExactly("/missing");
    assertThat(paths("f", null, "5xx", null)).containsExactly("/users/50%25", "/boom");
    assertThat(paths("f", "GET", "2XX", null)).containsExactly("/Users/1");
    assertThat(paths("f", null, null, "USERS")).containsExactly("/users/50%25", "/users?name=a_b", "/Users/1");
    // LIKE's wildcards in the text are plain characters
    assertThat(paths("f", null, null, "_")).containsExactly("/users?name=a_b");
    assertThat(paths("f", null, null, "%")).containsExactly("/users/50%25");
    assertThat(paths("f", null, null, "!")).isEmpty();
    assertThat(paths("f", "GET", "4xx", "boom")).isEmpty();
  }

  private List<String> paths(String tunnel, String method, String status, String q) {
    RequestLog.Page page = new RequestLog(repository, RequestLogConfig.DEFAULTS, clock::get, 16)
        .page(RequestLogQuery.parse(tunnel, null, null, method, status, q));
    return page.requests().stream().map(LoggedRequest::path).toList();
  }

  @Test
  void aCallersScopeSeesOnlyRowsOfOwnersItCoversEvenUnderOneTunnelName() {
    Accounts accounts = Accounts.of(tokens, new PasswordHasher(64, 1), clock::get);
    Org acme = accounts.users().createOrg("acme", null);
    accounts.users().createUser("alice@acme.example", null, Role.ORG_USER, "acme", null);
    accounts.users().createUser("bob@acme.example", null, Role.ORG_USER, "acme", null);
    accounts.users().createUser("carol@globex.example", null, Role.ORG_USER, null, null);
    RequestLog log = log(1000, Duration.ofDays(7));
    offer(log, "shared", "alice@acme.example", "GET", "/alice", 200); // the name was alice's, then bob's, then carol's
    offer(log, "shared", "bob@acme.example", "GET", "/bob", 200);
    offer(log, "shared", "carol@globex.example", "GET", "/carol", 200);
    offer(log, "solo", "carol@globex.example", "GET", "/solo", 200);
    log.writeQueued();
    RequestLogQuery shared = RequestLogQuery.newest("shared", 50);
    assertThat(log.page(shared.ownedBy("alice@acme.example")).requests()).extracting(LoggedRequest::path)
        .containsExactly("/alice");
    assertThat(log.page(shared.ownedInOrg(acme.id())).requests()).extracting(LoggedRequest::path)
        .containsExactly("/bob", "/alice");
    assertThat(log.page(shared).requests()).hasSize(3);
    RequestLogQuery solo = RequestLogQuery.newest("solo", 50);
    assertThat(log.anyVisible(solo.ownedInOrg(acme.id()))).isFalse();
    assertThat(log.anyVisible(solo.ownedBy("alice@acme.example"))).isFalse();
    assertThat(log.anyVisible(solo.ownedBy("carol@globex.example"))).isTrue();
    assertThat(log.anyVisible(RequestLogQuery.newest("never", 50))).isFalse();
  }

  @Test
  void eachPruneKeepsTheNewestRetentionRowsOfEveryTunnelWrittenTo() {
    RequestLog log = log(3, Duration.ofDays(7));
    for (int i = 0; i < 5; i++) {
      offer(log, "a", "alice", "GET", "/a" + i, 200);
    }
    offer(log, "b", "alice", "GET", "/b0", 200);
    offer(log, "b", "alice", "GET", "/b1", 200);
    log.writeQueued();
    log.pruneIfDue(); // the first prune runs at once
    assertThat(newestPaths("a")).containsExactly("/a4", "/a3", "/a2");
    assertThat(newestPaths("b")).containsExactly("/b1", "/b0");

    offer(log, "a", "alice", "GET", "/a5", 200);
    offer(log, "a", "alice", "GET", "/a6", 200);
    log.writeQueued();
    clock.addAndGet(RequestLog.PRUNE_INTERVAL_MILLIS - 1);
    log.pruneIfDue(); // not due: inserts alone never prune
    assertThat(repository.count("a")).isEqualTo(5);
    clock.addAndGet(1);
    log.pruneIfDue();
    assertThat(newestPaths("a")).containsExactly("/a6", "/a5", "/a4");
    assertThat(repository.count("b")).isEqualTo(2);
  }

  @Test
  void theFirstPruneAfterAStartAppliesALowerRetentionToEveryTunnel() {
    RequestLog before = log(100, Duration.ofDays(7));
    for (int i = 0; i < 10; i++) {
      offer(before, "idle", "alice", "GET", "/i" + i, 200);
    }
    before.writeQueued();
    RequestLog restarted = log(2, Duration.ofDays(7)); // nothing written to "idle" since the start
    restarted.pruneIfDue();
    assertThat(newestPaths("idle")).containsExactly("/i9", "/i8");
  }

  @Test
  void rowsOlderThanTheMaximumAgeGoAtTheNextPrune() {
    RequestLog log = log(1000, Duration.ofHours(1));
    offer(log, "old", "alice", "GET", "/old", 200);
    offer(log, "mixed", "alice", "GET", "/mixed-old", 200);
    log.writeQueued();
    log.pruneIfDue();
    clock.addAndGet(Duration.ofMinutes(59).toMillis());
    offer(log, "mixed", "alice", "GET", "/mixed-new", 200);
    log.writeQueued();
    clock.addAndGet(Duration.ofMinutes(1).toMillis()); // the old rows are exactly 1 h old: kept
    log.pruneIfDue();
    assertThat(repository.count("old")).isEqualTo(1);
    clock.addAndGet(1);
    clock.addAndGet(RequestLog.PRUNE_INTERVAL_MILLIS);
    log.pruneIfDue();
    assertThat(repository.count("old")).isZero();
    assertThat(newestPaths("mixed")).containsExactly("/mixed-new");
  }

  @Test
  void theAgeDeleteRemovesBoundedChunksAndRepeatsThemWithinOnePrune() {
    RequestLog log = new RequestLog(repository, new RequestLogConfig(100_000, Duration.ofHours(1)), clock::get,
        16_384);
    int n = RequestLog.AGE_DELETE_CHUNK + 10; // still more than a chunk after the 5 below
    for (int i = 0; i < n; i++) {
      offer(log, "t" + (i % 7), "alice", "GET", "/" + i, 200);
    }
    assertThat(log.writeQueued()).isEqualTo(n);
    assertThat(log.dropped()).isZero();
    assertThat(repository.deleteOlderThan(clock.get() + 1, 5)).isEqualTo(5); // one statement: one chunk at most
    clock.addAndGet(Duration.ofHours(2).toMillis());
    log.pruneIfDue(); // a full chunk, then the rest
    for (int t = 0; t < 7; t++) {
      assertThat(repository.count("t" + t)).isZero();
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlockingAndTheMetricSaysSo() throws Exception {
    RequestLog log = new RequestLog(repository, RequestLogConfig.DEFAULTS, clock::get, 16);
    try (ServerMetrics metrics = new ServerMetrics(log)) {
      Tunnel t = new TunnelRegistry(10, metrics).register("busy", 1, "alice", new RecordingOwner());
      for (int i = 0; i < 16 + 10; i++) {
        metrics.exchangeEnded(t, "GET", "/n" + i, 200, null, 1, 2, 1000, VISITOR);
      }
      assertThat(log.dropped()).isEqualTo(10);
      assertThat(metrics.scrape()).contains("grok_request_log_dropped_total 10");
      assertThat(log.writeQueued()).isEqualTo(16);
      assertThat(newestPaths("busy")).hasSize(16).startsWith("/n15").endsWith("/n0"); // the rest was dropped
    }
  }

  @Test
  void theWriterThreadWritesEveryOfferOfConcurrentLoopsOnceAndCloseFlushesTheRest() throws Exception {
    int threads = 4;
    int each = 2_000;
    // Retention holds every row: the writer's first prune comes when its thread first runs, which on a loaded
    // machine is after the first inserts (with the default 1,000 it then kept only 1,000 of a tunnel's 2,000).
    RequestLog log = new RequestLog(repository, new RequestLogConfig(each, Duration.ofDays(7)),
        System::currentTimeMillis, 16_384);
    log.start();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Thread> loops = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String tunnel = "c" + t;
      Thread loop = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          offer(log, tunnel, "alice", "GET", "/" + i, 200);
        }
      });
      loop.start();
      loops.add(loop);
    }
    go.countDown();
    for (Thread loop : loops) {
      loop.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(loop.isAlive()).isFalse();
    }
    log.close(); // stops the writer, then writes what it had not taken yet
    assertThat(log.dropped()).isZero();
    assertThat(log.written()).isEqualTo((long) threads * each);
    for (int t = 0; t < threads; t++) {
      assertThat(repository.count("c" + t)).isEqualTo(each);
      // per producer, ids follow the order of the offers
      assertThat(newestPaths("c" + t)).startsWith("/" + (each - 1), "/" + (each - 2));
    }
  }

  @Test
  void retentionZeroQueuesAndWritesNothing() throws Exception {
    RequestLog off = new RequestLog(repository, new RequestLogConfig(0, Duration.ofDays(7)), clock::get, 16);
    assertThat(off.enabled()).isFalse();
    try (ServerMetrics metrics = new ServerMetrics(off)) {
      Tunnel t = new TunnelRegistry(10, metrics).register("quiet", 1, "alice", new RecordingOwner());
      metrics.exchangeEnded(t, "GET", "/", 200, null, 0, 0, 1000, VISITOR);
      off.start(); // starts no writer
    }
    assertThat(off.dropped()).isZero();
    assertThat(repository.count("quiet")).isZero();
  }

  /** The paths of {@code tunnel}'s rows (all, when fewer than 200), newest first, all owners. */
  private List<String> newestPaths(String tunnel) {
    return repository.page(RequestLogQuery.newest(tunnel, RequestLogQuery.MAX_LIMIT)).stream()
        .map(LoggedRequest::path).toList();
  }

  @Test
  void idsGrowWithEveryInsert() {
    RequestLog log = log(1000, Duration.ofDays(7));
    Set<Long> ids = new HashSet<>();
    long previous = 0;
    for (int round = 0; round < 3; round++) {
      offer(log, "ids", "alice", "GET", "/" + round, 200);
      log.writeQueued();
      long id = log.page(RequestLogQuery.newest("ids", 1)).requests().get(0).id();
      assertThat(id).isGreaterThan(previous);
      ids.add(id);
      previous = id;
    }
    assertThat(ids).hasSize(3);
  }
}
