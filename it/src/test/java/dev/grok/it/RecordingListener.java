package dev.grok.it;

import dev.grok.client.ClientListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a client reports, in order, for tests to await. */
final class RecordingListener implements ClientListener {
  /** One report: {@code type} is {@code ready}, {@code reconnecting} or {@code fatal}. */
  record Event(String type, String publicUrl, String localUrl, String message, int exitCode) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @Override
  public void onReady(String publicUrl, String localUrl) {
    events.add(new Event("ready", publicUrl, localUrl, null, 0));
  }

  @Override
  public void onReconnecting(Duration delay, String reason) {
    events.add(new Event("reconnecting", null, null, reason, 0));
  }

  @Override
  public void onFatal(int exitCode, String message) {
    events.add(new Event("fatal", null, null, message, exitCode));
  }

  /** The next event of {@code type}, skipping others; fails after {@code timeout}. */
  Event next(String type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder skipped = new StringBuilder();
    try {
      while (true) {
        Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no " + type + " event within " + timeout + " (skipped: [" + skipped + "])");
        }
        if (e.type().equals(type)) {
          return e;
        }
        skipped.append(e).append(' ');
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a " + type + " event", e);
    }
  }

  /** The next event whatever its type; fails after {@code timeout}. */
  Event next(Duration timeout) {
    try {
      Event e = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("no client event within " + timeout);
      }
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a client event", e);
    }
  }

  /** An event already recorded and not yet taken, or null. */
  Event poll() {
    return events.poll();
  }
}
