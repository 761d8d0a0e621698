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
import org.HdrHistogram.Histogram;

/**
 * The load of {@code bench/soak}: a fixed-rate mix through a grok edge for a fixed time, per second {@code --gets}
 * GETs of 1 KiB, {@code --downloads} 1 MiB downloads, {@code --uploads} 1 MiB uploads and {@code --echoes} WebSocket
 * echo round trips spread over {@code --sockets} long-lived sockets, each kind evenly spaced in time. Every request
 * has an intended send time on that schedule and its latency is measured from it, so a stall of the tunnel counts
 * in full for everything that should have been sent during it (no coordinated omission). Every {@code --interval-s}
 * it appends a row to {@code --csv} (see {@link SoakRow}) with the RSS and CPU of the grok processes given by
 * {@code --server-pid} and {@code --client-pid}; at the end it prints the totals and {@link SoakVerdict}'s lines.
 * Exit status 0 when the run completed (whatever the verdict), 1 when a grok process went away during it.
 */
public final class SoakLoad {
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(90);
  private static final String PADDING = "x".repeat(100);

  private final LoadStats stats;
  private final HttpLoad http;
  private final EchoSockets echoes;
  private final long startNanos;
  private final long serverPid;
  private final long clientPid;
  private final Map<Kind, Histogram> totals = new EnumMap<>(Kind.class);
  private final List<SoakRow> rows = new ArrayList<>();
  private long lastDone;
  private long lastFailed;
  private double lastT;

  private SoakLoad(LoadStats stats, HttpLoad http, EchoSockets echoes, long startNanos, long serverPid,
      long clientPid) {
    this.stats = stats;
    this.http = http;
    this.echoes = echoes;
    this.startNanos = startNanos;
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
    int intervalS = a.integer("--interval-s", 10);
    int[] rates = {a.integer("--gets", 970), a.integer("--downloads", 10), a.integer("--uploads", 10),
        a.integer("--echoes", 10)};
    int sockets = a.integer("--sockets", 4);
    int maxConnections = a.integer("--max-connections", 1000);
    long serverPid = a.integer("--server-pid", 0);
    long clientPid = a.integer("--client-pid", 0);
    Path csv = Path.of(a.string("--csv", "soak.csv"));
    a.done();
    if (edgePort <= 0 || durationS <= 0 || intervalS <= 0 || sockets <= 0) {
      throw new IllegalArgumentException("--edge-port, --duration-s, --interval-s, --sockets: must be > 0");
    }
    String host = subdomain + ".localhost:" + edgePort;
    InetSocketAddress edge = new InetSocketAddress("127.0.0.1", edgePort);
    EventLoops loops = EventLoops.create("load", 2);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    LoadStats stats = new LoadStats(start);
    HttpLoad http = new HttpLoad(loops.loop(0), loops.channelType(), edge, host, maxConnections, stats);
    EchoSockets echoes = EchoSockets.open(loops, edge, URI.create("ws://" + host + "/ws"), sockets, stats);
    SoakLoad soak = new SoakLoad(stats, http, echoes, start, serverPid, clientPid);
    int status;
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      out.println(SoakRow.HEADER);
      out.flush();
      status = soak.run(rates, durationS, intervalS, out);
    } finally {
      loops.close();
    }
    System.exit(status);
  }

  private int run(int[] rates, int durationS, int intervalS, PrintWriter csv) throws IOException {
    Kind[] kinds = {Kind.GET_1K, Kind.DOWNLOAD_1M, Kind.UPLOAD_1M, Kind.ECHO};
    long[] sent = new long[kinds.length];
    double[] periodNanos = new double[kinds.length];
    double[] offsetNanos = new double[kinds.length];
    for (int k = 0; k < kinds.length; k++) {
      periodNanos[k] = rates[k] > 0 ? 1e9 / rates[k] : Double.POSITIVE_INFINITY;
      offsetNanos[k] = rates[k] > 0 ? periodNanos[k] * k / kinds.length : 0; // the kinds do not start together
    }
    long end = startNanos + TimeUnit.SECONDS.toNanos(durationS);
    long nextSample = startNanos + TimeUnit.SECONDS.toNanos(intervalS);
    System.err.printf(Locale.ROOT, "[load] %d GETs, %d downloads, %d uploads, %d echoes per second for %d s%n",
        rates[0], rates[1], rates[2], rates[3], durationS);
    boolean gone = false;
    long now;
    while ((now = System.nanoTime()) < end && !gone) {
      for (int k = 0; k < kinds.length; k++) {
        double since = now - startNanos - offsetNanos[k];
        long due = since < 0 ? 0 : (long) (since / periodNanos[k]) + 1;
        for (; sent[k] < due; sent[k]++) {
          long intended = startNanos + (long) (offsetNanos[k] + sent[k] * periodNanos[k]);
          if (kinds[k] == Kind.ECHO) {
            echoes.echo(sent[k], "echo " + sent[k] + " " + PADDING, intended);
          } else {
            http.submit(kinds[k], intended);
          }
        }
      }
      if (now >= nextSample) {
        gone = !sample(csv);
        nextSample += TimeUnit.SECONDS.toNanos(intervalS);
      }
      LockSupport.parkNanos(500_000);
    }
    long total = 0;
    for (long s : sent) {
      total += s;
    }
    long drainEnd = System.nanoTime() + DRAIN_NANOS;
    while (finished() < total && System.nanoTime() < drainEnd) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    long unfinished = total - finished();
    gone |= !sample(csv);
    summary(kinds, sent, unfinished);
    List<SoakRow> measured = rows;
    for (String line : SoakVerdict.lines(measured, total, stats.failedTotal() + unfinished)) {
      System.out.println(line);
    }
    if (gone) {
      System.out.println("a grok process went away during the run: the figures after that are not grok's");
    }
    return gone ? 1 : 0;
  }

  private long finished() {
    long n = 0;
    for (Kind k : Kind.values()) {
      n += stats.done(k) + stats.failed(k);
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

  private void summary(Kind[] kinds, long[] sent, long unfinished) {
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
    System.out.printf(Locale.ROOT, "most HTTP connections open at once: %d; WebSockets reopened: %d%n",
        http.mostConnections(), echoes.reopened());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
