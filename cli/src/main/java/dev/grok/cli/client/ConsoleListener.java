package dev.grok.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grok.client.ClientListener;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a running client's events on stdout, one line each, flushed at once so a reader of a pipe sees them as
 * they happen. Text: {@code Forwarding PUBLIC_URL -> LOCAL_URL}, {@code Reconnecting in 2s: REASON}. JSON: one
 * object per line with an {@code event} field: {@code tunnel_ready} (public_url, local_url), {@code reconnecting}
 * (delay_ms, reason), {@code fatal} (exit_code, message). A fatal message also goes to stderr in both modes.
 * Called from the client's threads; each line is written whole under the lock.
 */
public final class ConsoleListener implements ClientListener {
  /**
   * Jackson's mapper, made on the first JSON line: the text mode (the default) never loads Jackson's ~370 classes
   * (start-up time and class metadata, BENCHMARKS.md "Footprint").
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  /** {@code logFormat} is {@code text} or {@code json}. */
  public ConsoleListener(PrintWriter out, PrintWriter err, String logFormat) {
    this.out = out;
    this.err = err;
    this.json = "json".equals(logFormat);
  }

  @Override
  public void onReady(String publicUrl, String localUrl) {
    if (json) {
      Map<String, Object> event = event("tunnel_ready");
      event.put("public_url", publicUrl);
      event.put("local_url", localUrl);
      print(toJson(event));
    } else {
      print("Forwarding " + publicUrl + " -> " + localUrl);
    }
  }

  @Override
  public void onReconnecting(Duration delay, String reason) {
    if (json) {
      Map<String, Object> event = event("reconnecting");
      event.put("delay_ms", delay.toMillis());
      event.put("reason", reason);
      print(toJson(event));
    } else {
      print("Reconnecting in " + seconds(delay) + ": " + reason);
    }
  }

  @Override
  public void onFatal(int exitCode, String message) {
    if (json) {
      Map<String, Object> event = event("fatal");
      event.put("exit_code", exitCode);
      event.put("message", message);
      print(toJson(event));
    }
    synchronized (this) {
      err.println("grok: " + message);
      err.flush();
    }
  }

  /** {@code 2s} for whole seconds, else one decimal: {@code 0.5s}, {@code 1.3s}. */
  static String seconds(Duration delay) {
    long millis = delay.toMillis();
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }

  private static Map<String, Object> event(String name) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event", name);
    return event;
  }

  private static String toJson(Map<String, Object> event) {
    try {
      return Json.MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
