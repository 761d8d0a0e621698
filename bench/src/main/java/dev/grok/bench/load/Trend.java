package dev.grok.bench.load;

import java.util.List;

/**
 * The least-squares line through points (t, y): its slope per hour and how far it rises over the points' span.
 * Used over the second half of a soak, after the JIT's warm-up and the heap's first growth.
 */
record Trend(double slopePerHour, double rise, int points) {
  /** The fit of {@code ys} at times {@code ts} (seconds); a flat zero for fewer than two distinct times. */
  static Trend fit(List<Double> ts, List<Double> ys) {
    int n = ts.size();
    if (n < 2) {
      return new Trend(0, 0, n);
    }
    double mt = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mt += ts.get(i);
      my += ys.get(i);
    }
    mt /= n;
    my /= n;
    double stt = 0;
    double sty = 0;
    for (int i = 0; i < n; i++) {
      double dt = ts.get(i) - mt;
      stt += dt * dt;
      sty += dt * (ys.get(i) - my);
    }
    if (stt == 0) {
      return new Trend(0, 0, n);
    }
    double perSecond = sty / stt;
    return new Trend(perSecond * 3600, perSecond * (ts.get(n - 1) - ts.get(0)), n);
  }
}
