package dev.grok.client.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the terminal status shows: counts, latency percentiles of the exchanges kept, the latest requests.
 *
 * @param total exchanges kept
 * @param open exchanges still running
 * @param p50Millis median duration of the finished ones, -1 when none
 * @param p90Millis 90th percentile, -1 when none
 * @param latest the newest exchanges, newest first
 */
public record TrafficSummary(int total, int open, double p50Millis, double p90Millis, List<CapturedExchange> latest) {

  static TrafficSummary of(List<CapturedExchange> newestFirst, int latestCount) {
    int open = 0;
    double[] durations = new double[newestFirst.size()];
    int n = 0;
    for (CapturedExchange e : newestFirst) {
      if (e.done()) {
        durations[n++] = e.durationMillis();
      } else {
        open++;
      }
    }
    Arrays.sort(durations, 0, n);
    List<CapturedExchange> latest = new ArrayList<>(newestFirst.subList(0, Math.min(latestCount, newestFirst.size())));
    return new TrafficSummary(newestFirst.size(), open, percentile(durations, n, 0.5), percentile(durations, n, 0.9),
        List.copyOf(latest));
  }

  /** Nearest-rank percentile of the first {@code n} (sorted) values. */
  private static double percentile(double[] sorted, int n, double p) {
    if (n == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p * n);
    return sorted[Math.max(0, rank - 1)];
  }
}
