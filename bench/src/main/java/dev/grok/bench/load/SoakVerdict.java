package dev.grok.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict from its rows: no failure at all; server and client RSS flat (the least-squares slope over
 * the second half of the run at most {@link #RSS_FLAT_MIB_PER_HOUR} upward); the GETs' interval p99 flat (the
 * fitted line rises over the second half by at most {@link #P99_FLAT_RISE_FRACTION} of that half's median p99, or
 * {@link #P99_FLAT_RISE_MS} if that is more). The first half is left out: it holds the JIT's warm-up and the heap's
 * first growth. Also prints the highest RSS of each side against issue 13's 100 MiB target.
 */
final class SoakVerdict {
  /** An RSS slope at most this (MiB per hour, upward) is flat: 2.5 MiB over the second half of a 1-hour run. */
  static final double RSS_FLAT_MIB_PER_HOUR = 5.0;
  /** The p99's fitted rise over the second half may be this fraction of the half's median p99... */
  static final double P99_FLAT_RISE_FRACTION = 0.25;
  /** ...or this many milliseconds, whichever is more (scheduling noise of a loaded machine). */
  static final double P99_FLAT_RISE_MS = 1.0;
  /** Issue 13's RSS target for each side through the soak. */
  static final double RSS_TARGET_MIB = 100;

  private SoakVerdict() {}

  /** The verdict lines; the first says PASS or FAIL for the whole. */
  static List<String> lines(List<SoakRow> rows, long sent, long failed, long warmupFailed) {
    List<SoakRow> half = rows.subList(rows.size() / 2, rows.size());
    Trend server = fit(half, SoakRow::serverRssMib);
    Trend client = fit(half, SoakRow::clientRssMib);
    Trend p99 = fit(half, SoakRow::getP99Ms);
    double medianP99 = median(half, SoakRow::getP99Ms);
    double allowedRise = Math.max(P99_FLAT_RISE_MS, P99_FLAT_RISE_FRACTION * medianP99);
    boolean noErrors = failed == 0 && warmupFailed == 0;
    boolean serverFlat = server.slopePerHour() <= RSS_FLAT_MIB_PER_HOUR;
    boolean clientFlat = client.slopePerHour() <= RSS_FLAT_MIB_PER_HOUR;
    boolean p99Flat = p99.rise() <= allowedRise;
    double serverMax = max(rows, SoakRow::serverRssMib);
    double clientMax = max(rows, SoakRow::clientRssMib);
    List<String> out = new ArrayList<>();
    out.add("VERDICT: " + (noErrors && serverFlat && clientFlat && p99Flat ? "PASS" : "FAIL")
        + f(" (zero errors: %s; server RSS flat: %s; client RSS flat: %s; GET p99 flat: %s)", yes(noErrors),
            yes(serverFlat), yes(clientFlat), yes(p99Flat)));
    out.add(f("errors: %d of %d sent (and %d in the warm-up)", failed, sent, warmupFailed));
    out.add(f("server RSS trend over the second half (%d points): %+.1f MiB/h (flat: <= %.0f MiB/h)",
        server.points(), server.slopePerHour(), RSS_FLAT_MIB_PER_HOUR));
    out.add(f("client RSS trend over the second half: %+.1f MiB/h (flat: <= %.0f MiB/h)", client.slopePerHour(),
        RSS_FLAT_MIB_PER_HOUR));
    out.add(f("GET p99 trend over the second half: %+.2f ms/h, fitted rise %+.2f ms over the half "
        + "(flat: <= %.2f ms = max(%.0f ms, %.0f%% of the half's median p99 %.2f ms))", p99.slopePerHour(),
        p99.rise(), allowedRise, P99_FLAT_RISE_MS, P99_FLAT_RISE_FRACTION * 100, medianP99));
    out.add(f("highest RSS: server %.1f MiB, client %.1f MiB (issue 13 target: each <= %.0f MiB: %s, %s)",
        serverMax, clientMax, RSS_TARGET_MIB, yes(serverMax <= RSS_TARGET_MIB), yes(clientMax <= RSS_TARGET_MIB)));
    return out;
  }

  private static Trend fit(List<SoakRow> rows, ToDoubleFunction<SoakRow> y) {
    List<Double> ts = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (SoakRow r : rows) {
      ts.add(r.tSeconds());
      ys.add(y.applyAsDouble(r));
    }
    return Trend.fit(ts, ys);
  }

  private static double median(List<SoakRow> rows, ToDoubleFunction<SoakRow> y) {
    double[] v = rows.stream().mapToDouble(y).sorted().toArray();
    return v.length == 0 ? 0 : v[v.length / 2];
  }

  private static double max(List<SoakRow> rows, ToDoubleFunction<SoakRow> y) {
    return rows.stream().mapToDouble(y).max().orElse(0);
  }

  private static String yes(boolean b) {
    return b ? "yes" : "NO";
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
