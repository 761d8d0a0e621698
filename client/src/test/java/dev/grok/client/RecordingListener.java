package dev.grok.client;

import dev.grok.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records what a client reports, in order, for tests to await. The one listener fixture of the client's tests and
 * of the end-to-end tests ({@code it} uses it through this module's test jar: it implements {@link ClientListener},
 * which the {@code testing} module, on {@code common} only, cannot see). Subclass it to act on an event as well.
 */
public class RecordingListener implements ClientListener {
  /** One report: {@code type} is {@code ready}, {@code reconnecting} or {@code fatal}; other fields null or 0. */
  public record Event(String type, String publicUrl, String localUrl, Duration delay, String message, int exitCode) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @Override
  public void onReady(String publicUrl, String localUrl) {
    events.add(new Event("ready", publicUrl, localUrl, null, null, 0));
  }

  @Override
  public void onReconnecting(Duration delay, String reason) {
    events.add(new Event("reconnecting", null, null, delay, reason, 0));
  }

  @Override
  public void onFatal(int exitCode, String message) {
    events.add(new Event("fatal", null, null, null, message, exitCode));
  }

  /** The next event whatever its type; fails after {@code timeout}. */
  public Event next(Duration timeout) {
    return Await.poll(events, timeout, "client event");
  }

  /** The next event of {@code type}, skipping others (named in the failure); fails after {@code timeout}. */
  public Event next(String type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> skipped = new ArrayList<>();
    while (true) {
      Event e = events.poll();
      if (e == null) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          throw new AssertionError("no " + type + " event within " + timeout + " (skipped: " + skipped + ")");
        }
        e = Await.poll(events, Duration.ofNanos(leftNanos), type + " event (skipped: " + skipped + ")");
      }
      if (e.type().equals(type)) {
        return e;
      }
      skipped.add(e);
    }
  }

  /** An event already recorded and not yet taken, or null. */
  public Event poll() {
    return events.poll();
  }

  /** Fails when an event was recorded and not taken. */
  public void assertExhausted() {
    List<Event> left = new ArrayList<>(events);
    if (!left.isEmpty()) {
      throw new AssertionError("client events not expected: " + left);
    }
  }
}
