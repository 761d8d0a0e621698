package dev.grok.testing.origin;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The test's handle on one {@code /slow} response, taken with {@link LocalHttpOrigin#takeSlowStream(Duration)}.
 * Chunk {@code i} is {@code chunk-i\n}; it counts as sent when its write to the socket succeeded. Timed streams
 * ({@code /slow?chunks=N&delayMs=D}) send chunk 0 with the head and one more every D ms; gated streams ({@code
 * /slow?chunks=N&gate=true}) send chunk {@code i} only after the test's {@code i+1}-th {@link #releaseNext()}.
 */
public final class SlowStream {
  private final String uri;
  private final int chunkCount;
  private final boolean gated;
  private final CountDownLatch[] sent;
  private final CountDownLatch finished = new CountDownLatch(1);
  /** Hands "n more chunks may go" to the exchange on its event loop. */
  private final IntConsumer release;

  SlowStream(String uri, int chunkCount, boolean gated, IntConsumer release) {
    this.uri = uri;
    this.chunkCount = chunkCount;
    this.gated = gated;
    this.release = release;
    this.sent = new CountDownLatch[chunkCount];
    for (int i = 0; i < chunkCount; i++) {
      sent[i] = new CountDownLatch(1);
    }
  }

  /** The text of chunk {@code index}. */
  public static String chunkText(int index) {
    return "chunk-" + index + "\n";
  }

  public String uri() {
    return uri;
  }

  public int chunkCount() {
    return chunkCount;
  }

  public boolean isGated() {
    return gated;
  }

  public boolean isChunkSent(int index) {
    return latch(index).getCount() == 0;
  }

  /** Chunks whose write succeeded so far. */
  public int chunksSent() {
    int n = 0;
    for (CountDownLatch latch : sent) {
      n += latch.getCount() == 0 ? 1 : 0;
    }
    return n;
  }

  /** Waits until chunk {@code index} was written to the socket; fails after {@code timeout}. */
  public void awaitChunkSent(int index, Duration timeout) {
    await(latch(index), timeout, "chunk " + index + " of " + uri + " not sent");
  }

  /** Waits until the last chunk and the chunked terminator were written; fails after {@code timeout}. */
  public void awaitFinished(Duration timeout) {
    await(finished, timeout, uri + " not finished");
  }

  public boolean isFinished() {
    return finished.getCount() == 0;
  }

  /** Gated streams only: lets the next chunk go. */
  public void releaseNext() {
    releaseChunks(1);
  }

  /** Gated streams only: lets every remaining chunk go. */
  public void releaseAll() {
    releaseChunks(chunkCount);
  }

  private void releaseChunks(int n) {
    if (!gated) {
      throw new IllegalStateException(uri + " is timed, not gated (expected: /slow?chunks=N&gate=true)");
    }
    release.accept(n);
  }

  void markSent(int index) {
    sent[index].countDown();
  }

  void markFinished() {
    finished.countDown();
  }

  private CountDownLatch latch(int index) {
    if (index < 0 || index >= chunkCount) {
      throw new IllegalArgumentException("index: " + index + " (expected: 0 to " + (chunkCount - 1) + ")");
    }
    return sent[index];
  }

  private static void await(CountDownLatch latch, Duration timeout, String failure) {
    try {
      if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(failure + " within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + failure, e);
    }
  }
}
