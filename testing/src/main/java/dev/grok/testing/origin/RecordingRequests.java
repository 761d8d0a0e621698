package dev.grok.testing.origin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Every request the origin received, in arrival order of their ends. A request is recorded when its body ends,
 * before any response to it is completed, so a test that has read a response can take its request without
 * waiting; a request cut short (connection closed, {@link Fault#RESET_AT_START}) is recorded with {@code
 * bodyComplete} false. Thread-safe: written by the origin's event loop, read by the test.
 */
public final class RecordingRequests {
  private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
  private final List<RecordedRequest> all = new ArrayList<>();

  RecordingRequests() {}

  void record(RecordedRequest request) {
    synchronized (all) {
      all.add(request);
      all.notifyAll();
    }
    untaken.add(request);
  }

  /** The oldest request not yet taken, waiting up to {@code timeout}; fails when none arrives in time. */
  public RecordedRequest takeRequest(Duration timeout) {
    try {
      RecordedRequest request = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (request == null) {
        throw new AssertionError("no request within " + timeout + " (received so far: " + requestCount() + ")");
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a request", e);
    }
  }

  /** Requests recorded so far, taken or not. */
  public int requestCount() {
    synchronized (all) {
      return all.size();
    }
  }

  /** A snapshot of every request recorded so far, in order. */
  public List<RecordedRequest> all() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** Waits until at least {@code count} requests were recorded; fails after {@code timeout}. */
  public void awaitRequestCount(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (all) {
      while (all.size() < count) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMillis <= 0) {
          throw new AssertionError("expected " + count + " requests within " + timeout + ", got " + all.size());
        }
        try {
          all.wait(leftMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for requests", e);
        }
      }
    }
  }

  /** Fails when a recorded request was never taken with {@link #takeRequest}. */
  public void assertExhausted() {
    RecordedRequest left = untaken.peek();
    if (left != null) {
      throw new AssertionError(untaken.size() + " request(s) not taken, first: " + left.method() + " " + left.uri());
    }
  }
}
