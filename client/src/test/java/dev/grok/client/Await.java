package dev.grok.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits that fail the test with a message saying what did not happen. */
final class Await {
  private Await() {}

  static <T> T poll(BlockingQueue<T> queue, Duration timeout, String what) throws InterruptedException {
    T t = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (t == null) {
      throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms");
    }
    return t;
  }

  static <T> T get(CompletableFuture<T> future, Duration timeout, String what) throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not happen within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed", e.getCause());
    }
  }
}
