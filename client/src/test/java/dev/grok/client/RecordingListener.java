package dev.grok.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Records what a client reports, in order, for tests to await. */
class RecordingListener implements ClientListener {
  /** One report: {@code type} is ready, reconnecting or fatal. */
  record Event(String type, String publicUrl, String localUrl, Duration delay, String message, int exitCode) {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

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

  /** The next event, whatever its type. */
  Event next(Duration timeout) throws InterruptedException {
    return Await.poll(events, timeout, "client event");
  }

  /** The next event of {@code type}, skipping others. */
  Event next(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = Await.poll(events, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), type + " event");
      if (e.type().equals(type)) {
        return e;
      }
    }
  }
}
