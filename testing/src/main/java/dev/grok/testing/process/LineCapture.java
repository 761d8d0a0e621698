package dev.grok.testing.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads one stream of a child process line by line on its own thread; lines are kept and can be awaited. */
final class LineCapture {
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;
  /** Guarded by {@link #lines}. */
  private boolean ended;

  LineCapture(String name, InputStream stream, PrintStream mirror) {
    reader = Thread.ofPlatform().daemon().name(name).start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (mirror != null) {
            mirror.println("[" + name + "] " + line);
          }
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // The stream is gone with the process: nothing more to capture.
      } finally {
        synchronized (lines) {
          ended = true;
          lines.notifyAll();
        }
      }
    });
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  int size() {
    synchronized (lines) {
      return lines.size();
    }
  }

  /**
   * The first line at index {@code from} or later that matches, waiting until {@code deadlineNanos}; null when
   * the stream ended or the deadline passed first ({@link #hasEnded()} tells which).
   */
  String await(int from, Predicate<String> matcher, long deadlineNanos) throws InterruptedException {
    int next = from;
    synchronized (lines) {
      while (true) {
        for (; next < lines.size(); next++) {
          if (matcher.test(lines.get(next))) {
            return lines.get(next);
          }
        }
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (ended || leftMillis <= 0) {
          return null;
        }
        lines.wait(leftMillis);
      }
    }
  }

  boolean hasEnded() {
    synchronized (lines) {
      return ended;
    }
  }

  void join(long millis) throws InterruptedException {
    reader.join(millis);
  }
}
