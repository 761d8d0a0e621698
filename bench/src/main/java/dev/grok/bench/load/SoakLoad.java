package dev.grok.bench.load;

import dev.grok.common.EventLoops;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The load of {@code bench/soak}: a fixed-rate mix through a grok edge for a fixed time, per second {@code --gets}
 * GETs of 1 KiB, {@code --downloads} 1 MiB downloads, {@code --uploads} 1 MiB uploads and {@code --echoes} WebSocket
 * echo round trips spread over {@code --sockets} long-lived sockets, each kind evenly spaced in time. Every request
 * has an intended send time on that schedule and its latency is measured from it, so a stall of the tunnel counts
 * in full for everything that should have been sent during it (no coordinated omission). Every {@code --interval-s}
 * it appends a row to {@code --csv} (see {@link SoakRow}) with the RSS and CPU of the grok processes given by
 * {@code --server-pid} and {@code --client-pid}; at the end it prints the totals and {@link SoakVerdict}'s lines.
 * Before it, {@code --warmup-s} of the same mix at a quarter of the rates warms the JVMs' JIT without piling up a
 * backlog on a cold tunnel; its failures are reported and count against the verdict too. Exit status 0 when the
 * run completed (whatever the verdict), 1 when a grok process went away during it.
 */
public final class SoakLoad {
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(90);
  private static final String PADDING = "x".repeat(100);
  private static final Kind[] KINDS = {Kind.GET_1K, Kind.DOWNLOAD_1M, Kind.UPLOAD_1M, Kind.ECHO};

  private final HttpLoad http;
  private final EchoSockets echoes;
  private final long serverPid;
  private final long clientPid;
  private final Map<Kind, Histogram> totals = new EnumMap<>(Kind.class);
  private final List<SoakRow> rows = new ArrayList<>();
  /** The measured phase's counters and start; set when it begins. */
  private LoadStats stats;
  private long startNanos;
  private long lastDone;
  private long lastFailed;
  private double lastT;

  private SoakLoad(HttpLoad http, EchoSockets echoes, long serverPid, long clientPid) {
    this.http = http;
    this.echoes = echoes;
    this.serverPid = serverPid;
    this.clientPid = clientPid;
    for (Kind k : Kind.values()) {
      totals.put(k, new Histogram(LoadStats.MAX_MICROS, 3));
    }
  }

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int edgePort = a.integer("--edge-port", 0);
    String subdomain = a.string("--subdomain", "soak");
    int durationS = a.integer("--duration-s", 3600);
    int warmupS = a.integer("--warmup-s", 30);
    int intervalS = a.integer("--interval-s", 10);
    int[] rates = {a.integer("--gets", 970), a.integer("--downloads", 10), a.integer("--uploads", 10),
        a.integer("--echoes", 10)};
    int sockets = a.integer("--sockets", 4);
    int maxConnections = a.integer("--max-connections", 64);
    long serverPid = a.integer("--server-pid", 0);
    long clientPid = a.integer("--client-pid", 0);
    Path csv = Path.of(a.string("--csv", "soak.csv"));
    a.done();
    if (edgePort <= 0 || durationS <= 0 || intervalS <= 0 || sockets <= 0 || warmupS < 0 || maxConnections <= 0) {
      throw new IllegalArgumentException("--edge-port, --duration-s, --interval-s, --sockets, --max-connections: "
          + "must be > 0; --warmup-s >= 0");
    }
    String host = subdomain + ".localhost:" + edgePort;
    InetSocketAddress edge = new InetSocketAddress("127.0.0.1", edgePort);
    EventLoops loops = EventLoops.create("load", 2);
    HttpLoad http = new HttpLoad(loops.loop(0), loops.channelType(), edge, host, maxConnections);
    EchoSockets echoes = EchoSockets.open(loops, edge, URI.create("ws://" + host + "/ws"), sockets);
    SoakLoad soak = new SoakLoad(http, echoes, serverPid, clientPid);
    int status;
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      long warmupFailed = soak.warmUp(rates, warmupS);
      out.println(SoakRow.HEADER);
      out.flush();
      status = soak.run(rates, durationS, intervalS, out, warmupFailed);
    } finally {
      loops.close();
    }
    System.exit(status);
  }

  /** The mix at a quarter of {@code rates} for {@code seconds}; prints one line, returns its failures. */
  private long warmUp(int[] rates, int seconds) {
    if (seconds == 0) {
      return 0;
    }
    int[] quarter = new int[rates.length];
    for (int k = 0; k < rates.length; k++) {
      quarter[k] = rates[k] == 0 ? 0 : Math.max(1, rates[k] / 4);
    }
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    LoadStats w = new LoadStats(start);
    System.err.printf(Locale.ROOT, "[load] warm-up: a quarter of the rates for %d s%n", seconds);
    long sent = sum(drive(quarter, w, start, TimeUnit.SECONDS.toNanos(seconds), 0, () -> true));
    long unfinished = drain(w, sent);
    Histogram get = w.interval(Kind.GET_1K);
    String line = String.format(Locale.ROOT, "warm-up (%d s at a quarter of the rates): %d sent, %d failed, "
        + "%d without an outcome; GET p99 %.2f ms", seconds, sent, w.failedTotal(), unfinished, ms(get, 99));
    System.out.println(line);
    System.err.println("[load] " + line);
    return w.failedTotal() + unfinished;
  }

  private int run(int[] rates, int durationS, int intervalS, PrintWriter csv, long warmupFailed) {
    startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    stats = new LoadStats(startNanos);
    System.err.printf(Locale.ROOT, "[load] %d GETs, %d downloads, %d uploads, %d echoes per second for %d s%n",
        rates[0], rates[1], rates[2], rates[3], durationS);
    boolean[] gone = {false};
    long[] sent = drive(rates, stats, startNanos, TimeUnit.SECONDS.toNanos(durationS),
        TimeUnit.SECONDS.toNanos(intervalS), () -> !(gone[0] = !sample(csv)));
    long total = sum(sent);
    long unfinished = drain(stats, total);
    absorbDrain();
    summary(sent, unfinished);
    for (String line : SoakVerdict.lines(rows, total, stats.failedTotal() + unfinished, warmupFailed)) {
      System.out.println(line);
    }
    if (gone[0]) {
      System.out.println("a grok process went away during the run: the figures after that are not grok's");
    }
    return gone[0] ? 1 : 0;
  }

  /**
   * Sends the mix at {@code rates} per second from {@code start} for {@code durationNanos}, each kind evenly spaced
   * (the kinds offset from each other), and calls {@code sampler} every {@code intervalNanos} (0: never) until it
   * returns false. Returns how many of each kind were sent.
   */
  private long[] drive(int[] rates, LoadStats into, long start, long durationNanos, long intervalNanos,
      BooleanSupplier sampler) {
    long[] sent = new long[KINDS.length];
    double[] periodNanos = new double[KINDS.length];
    double[] offsetNanos = new double[KINDS.length];
    for (int k = 0; k < KINDS.length; k++) {
      periodNanos[k] = rates[k] > 0 ? 1e9 / rates[k] : Double.POSITIVE_INFINITY;
      offsetNanos[k] = rates[k] > 0 ? periodNanos[k] * k / KINDS.length : 0;
    }
    long end = start + durationNanos;
    long nextSample = intervalNanos == 0 ? Long.MAX_VALUE : start + intervalNanos;
    long now;
    while ((now = System.nanoTime()) < end) {
      for (int k = 0; k < KINDS.length; k++) {
        double since = now - start - offsetNanos[k];
        long due = since < 0 ? 0 : (long) (since / periodNanos[k]) + 1;
        for (; sent[k] < due; sent[k]++) {
          long intended = start + (long) (offsetNanos[k] + sent[k] * periodNanos[k]);
          if (KINDS[k] == Kind.ECHO) {
            echoes.echo(sent[k], "echo " + sent[k] + " " + PADDING, intended, into);
          } else {
            http.submit(KINDS[k], intended, into);
          }
        }
      }
      if (now >= nextSample) {
        if (!sampler.getAsBoolean()) {
          break;
        }
        nextSample += intervalNanos;
      }
      LockSupport.parkNanos(500_000);
    }
    if (intervalNanos > 0 && nextSample <= end) {
      sampler.getAsBoolean(); // the row at the end of the schedule; what the drain completes gets no row
    }
    return sent;
  }

  /**
   * Adds the latencies of what completed after the schedule's end (the backlog, if any) to the totals, without a
   * CSV row: a row over the drain would be a different load and bend the trends.
   */
  private void absorbDrain() {
    for (Kind k : Kind.values()) {
      Histogram h = stats.interval(k);
      totals.get(k).add(h);
      if (h.getTotalCount() > 0) {
        System.err.printf(Locale.ROOT, "[load] after the end: %d %s completed, p99 %.2f ms%n", h.getTotalCount(),
            k.label, ms(h, 99));
      }
    }
  }

  /** Waits (up to {@link #DRAIN_NANOS}) for every one of {@code sent} to have an outcome; returns those without. */
  private static long drain(LoadStats s, long sent) {
    long drainEnd = System.nanoTime() + DRAIN_NANOS;
    while (finished(s) < sent && System.nanoTime() < drainEnd) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return sent - finished(s);
  }

  private static long finished(LoadStats s) {
    long n = 0;
    for (Kind k : Kind.values()) {
      n += s.done(k) + s.failed(k);
    }
    return n;
  }

  private static long sum(long[] v) {
    long n = 0;
    for (long x : v) {
      n += x;
    }
    return n;
  }

  /** Appends one row; false when a grok process is gone. */
  private boolean sample(PrintWriter csv) {
    double t = (System.nanoTime() - startNanos) / 1e9;
    long done = 0;
    for (Kind k : Kind.values()) {
      done += stats.done(k);
    }
    long failed = stats.failedTotal();
    Histogram get = stats.interval(Kind.GET_1K);
    Histogram transfer = stats.interval(Kind.DOWNLOAD_1M);
    Histogram upload = stats.interval(Kind.UPLOAD_1M);
    Histogram echo = stats.interval(Kind.ECHO);
    totals.get(Kind.GET_1K).add(get);
    totals.get(Kind.DOWNLOAD_1M).add(transfer);
    totals.get(Kind.UPLOAD_1M).add(upload);
    totals.get(Kind.ECHO).add(echo);
    transfer.add(upload);
    long sRss = ProcStats.rssKib(serverPid);
    long cRss = ProcStats.rssKib(clientPid);
    SoakRow row = new SoakRow(t, sRss / 1024.0, cRss / 1024.0, ProcStats.cpuSeconds(serverPid),
        ProcStats.cpuSeconds(clientPid), done - lastDone, (done - lastDone + failed - lastFailed) / (t - lastT),
        failed - lastFailed, ms(get, 50), ms(get, 99), get.getTotalCount() == 0 ? 0 : get.getMaxValue() / 1000.0,
        ms(transfer, 99), ms(echo, 99), http.connections());
    rows.add(row);
    lastDone = done;
    lastFailed = failed;
    lastT = t;
    csv.println(row.csv());
    csv.flush();
    System.err.printf(Locale.ROOT, "[load] %6.0f s  server %s MiB  client %s MiB  %.0f req/s  errors %d  "
        + "GET p99 %.2f ms  transfer p99 %.1f ms  echo p99 %.2f ms  conns %d%n", t, ProcStats.mib(sRss),
        ProcStats.mib(cRss), row.requestsPerSecond(), row.errors(), row.getP99Ms(), row.transferP99Ms(),
        row.echoP99Ms(), row.connections());
    return !(serverPid > 0 && sRss < 0) && !(clientPid > 0 && cRss < 0);
  }

  private void summary(long[] sent, long unfinished) {
    Kind[] kinds = KINDS;
    System.out.println("kind       sent      ok  failed   p50 ms   p99 ms p99.9 ms   max ms");
    for (int k = 0; k < kinds.length; k++) {
      Histogram h = totals.get(kinds[k]);
      System.out.printf(Locale.ROOT, "%-8s %6d  %6d  %6d %8.2f %8.2f %8.2f %8.2f%n", kinds[k].label, sent[k],
          stats.done(kinds[k]), stats.failed(kinds[k]), ms(h, 50), ms(h, 99), ms(h, 99.9),
          h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
    }
    if (unfinished > 0) {
      System.out.println(unfinished + " requests had no outcome " + DRAIN_NANOS / 1_000_000_000
          + " s after the end (counted as errors)");
    }
    System.out.printf(Locale.ROOT, "most HTTP connections open at once: %d; WebSockets reopened: %d; "
        + "load driver CPU: %.1f s%n", http.mostConnections(), echoes.reopened(),
        ProcStats.cpuSeconds(ProcessHandle.current().pid()));
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
