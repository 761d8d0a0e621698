package dev.grok.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded waits that fail the test with a message saying what did not happen in time. An interrupt fails the test
 * too (the interrupt flag is kept), so callers declare no checked exception.
 */
public final class Await {
  private Await() {}

  /** The value of {@code future}, waiting at most {@code timeout}; its failure is rethrown as the cause. */
  public static <T> T get(Future<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": not done within " + timeout);
    } catch (ExecutionException e) {
      throw new AssertionError(what + ": failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + ": interrupted", e);
    }
  }

  /** Waits until {@code latch} is open, at most {@code timeout}. */
  public static void await(CountDownLatch latch, Duration timeout, String what) {
    try {
      if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(what + ": not done within " + timeout + " (" + latch.getCount() + " left)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + ": interrupted", e);
    }
  }

  /** The head of {@code queue}, removed, waiting at most {@code timeout} for one. */
  public static <T> T poll(BlockingQueue<T> queue, Duration timeout, String what) {
    try {
      T t = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (t == null) {
        throw new AssertionError("no " + what + " within " + timeout);
      }
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  /** Milliseconds since {@code startNanos} (a {@link System#nanoTime()}). */
  public static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
