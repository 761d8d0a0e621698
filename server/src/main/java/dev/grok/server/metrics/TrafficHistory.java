package dev.grok.server.metrics;

import java.util.ArrayDeque;
import java.util.List;

/** The server's traffic per second over the last {@link #SECONDS} seconds, sampled by a background task. */
public final class TrafficHistory {
  /** Five minutes of samples. */
  public static final int SECONDS = 300;

  /** What happened in the second before {@code epochSecond}: exchanges ended and body bytes each way. */
  public record Sample(long epochSecond, long requests, long bytesIn, long bytesOut) {}

  /** Guarded by this, as are the last totals. */
  private final ArrayDeque<Sample> ring = new ArrayDeque<>(SECONDS);
  private long lastRequests = -1;
  private long lastIn;
  private long lastOut;

  /** Takes a sample from the running totals; the first call only sets the baseline. */
  synchronized void sample(long epochSecond, long requests, long bytesIn, long bytesOut) {
    if (lastRequests >= 0) {
      if (ring.size() == SECONDS) {
        ring.pollFirst();
      }
      ring.addLast(new Sample(epochSecond, requests - lastRequests, bytesIn - lastIn, bytesOut - lastOut));
    }
    lastRequests = requests;
    lastIn = bytesIn;
    lastOut = bytesOut;
  }

  /** Oldest first. */
  public synchronized List<Sample> samples() {
    return List.copyOf(ring);
  }
}
