package dev.grok.bench.load;

import dev.grok.common.EventLoops;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 10k idle WebSockets run of {@code bench/websockets}: opens {@code --connections} WebSockets through the edge
 * to the tunnel's echo service ({@code --concurrency} handshakes at a time, from {@code --sources} loopback source
 * addresses 127.0.0.2, 127.0.0.3, ... so that no single address runs out of ephemeral ports), holds them idle for
 * {@code --hold-s}, then sends one message on every one and checks that the same text comes back. Prints the RSS
 * of the grok server and client ({@code --server-pid}, {@code --client-pid}) before, after opening, after the hold
 * and after the echoes, the growth per connection against issue 13's target and every kind of failure.
 * Exit status 0 when the run completed (whatever the verdict), 1 when a grok process went away.
 */
public final class IdleWebSockets {
  /** Issue 13's target: server plus client RSS growth per held WebSocket. */
  static final double TARGET_KIB_PER_CONNECTION = 20;

  private IdleWebSockets() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int edgePort = a.integer("--edge-port", 0);
    String subdomain = a.string("--subdomain", "idle");
    int connections = a.integer("--connections", 10_000);
    int holdS = a.integer("--hold-s", 600);
    int sources = a.integer("--sources", 4);
    int concurrency = a.integer("--concurrency", 200);
    int warmup = a.integer("--warmup", 200);
    long serverPid = a.integer("--server-pid", 0);
    long clientPid = a.integer("--client-pid", 0);
    a.done();
    if (edgePort <= 0 || connections <= 0 || holdS < 0 || sources <= 0 || sources > 250 || concurrency <= 0) {
      throw new IllegalArgumentException("--edge-port, --connections, --concurrency: > 0; --hold-s: >= 0; "
          + "--sources: 1-250");
    }
    String host = subdomain + ".localhost:" + edgePort;
    URI uri = URI.create("ws://" + host + "/idle");
    InetSocketAddress edge = new InetSocketAddress("127.0.0.1", edgePort);
    EventLoops loops = EventLoops.create("idle-ws", 2);
    warmUp(loops, edge, uri, warmup);
    Rss before = Rss.read("before", serverPid, clientPid);
    Failures failures = new Failures();

    // Open, `concurrency` handshakes in flight at once; give up opening more once `concurrency` have failed (a
    // limit was reached: each failure may take a timeout, so going on would only take long).
    System.err.println("[idle] " + before);
    long t0 = System.nanoTime();
    List<EchoSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger closedEarly = new AtomicInteger();
    AtomicInteger openFailed = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Semaphore slots = new Semaphore(concurrency);
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
    progress.scheduleAtFixedRate(() -> System.err.printf(Locale.ROOT,
        "[idle] opening: %d open, %d failed; server %s MiB, client %s MiB%n", open.size(), openFailed.get(),
        ProcStats.mib(ProcStats.rssKib(serverPid)), ProcStats.mib(ProcStats.rssKib(clientPid))), 10, 10,
        TimeUnit.SECONDS);
    int started = 0;
    for (int i = 0; i < connections && openFailed.get() < concurrency; i++) {
      slots.acquire();
      started++;
      InetSocketAddress source = new InetSocketAddress("127.0.0." + (2 + i % sources), 0);
      EchoSocket.open(loops.group(), loops.channelType(), edge, source, uri).whenComplete((s, error) -> {
        if (s != null) {
          open.add(s);
          s.channel().closeFuture().addListener(f -> closedEarly.incrementAndGet());
        } else {
          openFailed.incrementAndGet();
          failures.add("open", error);
        }
        completed.incrementAndGet();
        slots.release();
      });
    }
    while (completed.get() < started) {
      TimeUnit.MILLISECONDS.sleep(100); // each open ends within its connect or handshake timeout (30 s)
    }
    progress.shutdownNow();
    double openS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "opened %d of %d WebSockets in %.1f s (%d failed%s)%n", open.size(), connections,
        openS, openFailed.get(), started < connections
            ? "; stopped opening after " + openFailed.get() + " failures, " + (connections - started) + " not tried"
            : "");
    Rss opened = Rss.read("after opening", serverPid, clientPid);

    // Hold idle, a progress line every 30 s.
    long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdS);
    while (System.nanoTime() < holdEnd) {
      TimeUnit.NANOSECONDS.sleep(Math.min(TimeUnit.SECONDS.toNanos(30), holdEnd - System.nanoTime()));
      System.err.printf(Locale.ROOT, "[idle] holding: %d closed so far; server %s MiB, client %s MiB%n",
          closedEarly.get(), ProcStats.mib(ProcStats.rssKib(serverPid)), ProcStats.mib(ProcStats.rssKib(clientPid)));
    }
    int closedDuringHold = closedEarly.get();
    Rss held = Rss.read("after the hold", serverPid, clientPid);

    // Every socket echoes once.
    long t1 = System.nanoTime();
    AtomicLong echoed = new AtomicLong();
    CountDownLatch answered = new CountDownLatch(open.size());
    Semaphore inFlight = new Semaphore(1000);
    List<EchoSocket> all;
    synchronized (open) {
      all = new ArrayList<>(open);
    }
    for (int i = 0; i < all.size(); i++) {
      inFlight.acquire();
      String text = "idle socket " + i + " says hello";
      all.get(i).echo(text, System.nanoTime(), (intended, failure) -> {
        if (failure == null) {
          echoed.incrementAndGet();
        } else {
          failures.add("echo", failure);
        }
        inFlight.release();
        answered.countDown();
      });
    }
    answered.await(EchoSocket.ECHO_TIMEOUT_NANOS * 2, TimeUnit.NANOSECONDS);
    double echoS = (System.nanoTime() - t1) / 1e9;
    Rss after = Rss.read("after the echoes", serverPid, clientPid);
    for (EchoSocket s : all) {
      s.channel().close();
    }
    loops.close();

    System.out.printf(Locale.ROOT, "held %d WebSockets for %d s: %d closed during the hold%n", all.size(), holdS,
        closedDuringHold);
    System.out.printf(Locale.ROOT, "echoed %d of %d in %.1f s%n", echoed.get(), all.size(), echoS);
    for (Rss r : List.of(before, opened, held, after)) {
      System.out.println(r);
    }
    int openedCount = Math.max(1, all.size()); // per connection actually opened
    double growthKib = (held.serverKib + held.clientKib - before.serverKib - before.clientKib) / (double) openedCount;
    System.out.printf(Locale.ROOT, "RSS growth per connection (server + client, before -> after the hold): "
        + "%.1f KiB (server %.1f, client %.1f; target <= %.0f KiB)%n", growthKib,
        (held.serverKib - before.serverKib) / (double) openedCount,
        (held.clientKib - before.clientKib) / (double) openedCount, TARGET_KIB_PER_CONNECTION);
    failures.print();
    boolean pass = all.size() == connections && closedDuringHold == 0 && echoed.get() == connections
        && growthKib <= TARGET_KIB_PER_CONNECTION;
    System.out.println("VERDICT: " + (pass ? "PASS" : "FAIL") + String.format(Locale.ROOT,
        " (all opened: %s; none closed while idle: %s; all echoed: %s; growth <= %.0f KiB/conn: %s)",
        yes(all.size() == connections), yes(closedDuringHold == 0), yes(echoed.get() == connections),
        TARGET_KIB_PER_CONNECTION, yes(growthKib <= TARGET_KIB_PER_CONNECTION)));
    boolean gone = (serverPid > 0 && after.serverKib < 0) || (clientPid > 0 && after.clientKib < 0);
    System.exit(gone ? 1 : 0);
  }

  /**
   * Opens {@code count} WebSockets, echoes once on each and closes them, then waits 3 s: the classes and code of the
   * WebSocket path are loaded before the "before" RSS, so that the growth counts the connections, not the warm-up.
   */
  private static void warmUp(EventLoops loops, InetSocketAddress edge, URI uri, int count) throws Exception {
    List<EchoSocket> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sockets.add(EchoSocket.open(loops.group(), loops.channelType(), edge, null, uri).get(30, TimeUnit.SECONDS));
    }
    CountDownLatch echoed = new CountDownLatch(count);
    AtomicInteger failed = new AtomicInteger();
    for (EchoSocket s : sockets) {
      s.echo("warm-up", System.nanoTime(), (intended, failure) -> {
        if (failure != null) {
          failed.incrementAndGet();
        }
        echoed.countDown();
      });
    }
    if (!echoed.await(60, TimeUnit.SECONDS) || failed.get() > 0) {
      throw new IllegalStateException("warm-up: " + failed.get() + " of " + count + " echoes failed or are missing");
    }
    for (EchoSocket s : sockets) {
      s.channel().close().sync();
    }
    TimeUnit.SECONDS.sleep(3);
    System.err.printf("[idle] warm-up: %d WebSockets opened, echoed and closed%n", count);
  }

  private static String yes(boolean b) {
    return b ? "yes" : "NO";
  }

  /** RSS of both grok processes at one moment. */
  private record Rss(String when, long serverKib, long clientKib) {
    static Rss read(String when, long serverPid, long clientPid) {
      return new Rss(when, ProcStats.rssKib(serverPid), ProcStats.rssKib(clientPid));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "RSS %-17s server %7s MiB  client %7s MiB", when + ":",
          ProcStats.mib(serverKib), ProcStats.mib(clientKib));
    }
  }

  /** Failures by kind and reason, counted; the reasons are cut to their first line. */
  private static final class Failures {
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    void add(String kind, Object reason) {
      String r = String.valueOf(reason);
      int nl = r.indexOf('\n');
      String key = kind + ": " + (nl < 0 ? r : r.substring(0, nl));
      counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    void print() {
      if (counts.isEmpty()) {
        System.out.println("failures: none");
        return;
      }
      System.out.println("failures:");
      counts.forEach((k, v) -> System.out.println("  " + v.get() + " x " + k));
    }
  }
}
