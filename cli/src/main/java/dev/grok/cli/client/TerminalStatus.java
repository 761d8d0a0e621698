package dev.grok.cli.client;

import dev.grok.client.ClientListener;
import dev.grok.client.inspect.CapturedExchange;
import dev.grok.client.inspect.Inspector;
import dev.grok.client.inspect.TrafficSummary;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live status of {@code grok http} in a terminal, redrawn in place once a second like ngrok's: the URL, the
 * session state, connection counts, p50/p90 latency and the last requests. Used only when stdout is a terminal and
 * the format is text; otherwise {@link ConsoleListener} prints plain lines.
 */
final class TerminalStatus implements ClientListener, AutoCloseable {
  /** Requests listed at the bottom. */
  static final int LAST_REQUESTS = 10;
  private static final long REDRAW_MILLIS = 1_000;
  /** ANSI: cursor home, clear the screen. */
  private static final String CLEAR = "\033[H\033[2J";

  private final PrintWriter out;
  private final PrintWriter err;
  private final Inspector inspector;
  /** The inspector's URL, null when it is off or its port was taken. */
  private final String inspectorUrl;
  private final ScheduledExecutorService redraw = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "grok-terminal");
    t.setDaemon(true);
    return t;
  });
  private volatile String state = "connecting";
  private volatile String forwarding = "";

  TerminalStatus(PrintWriter out, PrintWriter err, Inspector inspector, String inspectorUrl) {
    this.out = out;
    this.err = err;
    this.inspector = inspector;
    this.inspectorUrl = inspectorUrl;
    redraw.scheduleWithFixedDelay(this::draw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** True when stdout is an interactive terminal (on JDK 22+ {@code Console.isTerminal()} must say so too). */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: System.console() is non-null only for a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  @Override
  public void onReady(String publicUrl, String localUrl) {
    state = "online";
    forwarding = publicUrl + " -> " + localUrl;
    draw();
  }

  @Override
  public void onReconnecting(Duration delay, String reason) {
    state = "reconnecting in " + ConsoleListener.seconds(delay) + " (" + reason + ")";
    draw();
  }

  @Override
  public void onFatal(int exitCode, String message) {
    redraw.shutdownNow();
    synchronized (this) {
      err.println("grok: " + message);
      err.flush();
    }
  }

  private synchronized void draw() {
    if (redraw.isShutdown()) {
      return;
    }
    StringBuilder s = new StringBuilder(CLEAR);
    s.append("grok                                                        (Ctrl+C to quit)\n\n");
    row(s, "Session Status", state);
    row(s, "Forwarding", forwarding.isEmpty() ? "-" : forwarding);
    row(s, "Web Interface", inspectorUrl == null ? "off" : inspectorUrl);
    TrafficSummary t = inspector.summary(LAST_REQUESTS);
    if (t != null) {
      row(s, "Connections", String.format(Locale.ROOT, "total %d   open %d   p50 %s   p90 %s",
          t.total(), t.open(), millis(t.p50Millis()), millis(t.p90Millis())));
      s.append("\nHTTP Requests\n-------------\n");
      for (CapturedExchange e : t.latest()) {
        String status = e.done() ? e.status() > 0 ? e.status() + " " + e.reason() : "failed" : "...";
        s.append(String.format(Locale.ROOT, "%-7s %-40s %-24s %s%n", e.method(), cut(e.uri(), 40), cut(status, 24),
            e.done() ? millis(e.durationMillis()) : ""));
      }
    }
    out.print(s);
    out.flush();
  }

  private static void row(StringBuilder s, String name, String value) {
    s.append(String.format(Locale.ROOT, "%-20s%s%n", name, value));
  }

  private static String millis(double ms) {
    return ms < 0 ? "-" : String.format(Locale.ROOT, "%.1fms", ms);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }

  @Override
  public void close() {
    redraw.shutdownNow();
  }
}
