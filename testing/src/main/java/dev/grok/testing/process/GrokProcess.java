package dev.grok.testing.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grok launcher ({@code grok-server} or {@code grok}) running as a {@link JavaProcess}, with waits for what the
 * contract says it prints: the client's {@code Forwarding PUBLIC -> LOCAL} line (or its JSON {@code tunnel_ready}
 * event), the server's admin {@code GET /health}. Jars come from the caller or from the system properties
 * {@value #SERVER_JAR_PROPERTY} and {@value #CLIENT_JAR_PROPERTY}.
 */
public final class GrokProcess implements AutoCloseable {
  public static final String SERVER_JAR_PROPERTY = "grok.server.jar";
  public static final String CLIENT_JAR_PROPERTY = "grok.client.jar";

  private static final Pattern TEXT_READY = Pattern.compile("^Forwarding (\\S+) -> (\\S+)\\s*$");
  private static final Pattern JSON_EVENT = Pattern.compile("\"event\"\\s*:\\s*\"tunnel_ready\"");
  private static final Pattern JSON_PUBLIC = Pattern.compile("\"public_url\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern JSON_LOCAL = Pattern.compile("\"local_url\"\\s*:\\s*\"([^\"]*)\"");
  private static final Duration HEALTH_POLL = Duration.ofMillis(100);

  private final JavaProcess process;

  private GrokProcess(JavaProcess process) {
    this.process = process;
  }

  /** Starts what {@code builder} describes. */
  public static GrokProcess start(JavaProcess.Builder builder) {
    return new GrokProcess(builder.start());
  }

  /** The server launcher jar named by {@value #SERVER_JAR_PROPERTY}; fails when unset or missing. */
  public static Path serverJar() {
    return jarFrom(SERVER_JAR_PROPERTY);
  }

  /** The client launcher jar named by {@value #CLIENT_JAR_PROPERTY}; fails when unset or missing. */
  public static Path clientJar() {
    return jarFrom(CLIENT_JAR_PROPERTY);
  }

  private static Path jarFrom(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set (expected: path of the jar)");
    }
    Path jar = Path.of(value);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(property + ": " + value + " (expected: an existing jar file)");
    }
    return jar;
  }

  /** What a ready client announced. */
  public record Forwarding(String publicUrl, String localUrl) {}

  public JavaProcess process() {
    return process;
  }

  /** The first readiness announcement on stdout (text or JSON form). */
  public Forwarding awaitForwarding(Duration timeout) {
    return awaitForwarding(0, timeout);
  }

  /** The first readiness announcement at stdout line {@code from} or later (e.g. the one after a reconnect). */
  public Forwarding awaitForwarding(int from, Duration timeout) {
    String line = process.awaitStdoutLine(from, GrokProcess::isReadiness, timeout);
    Matcher text = TEXT_READY.matcher(line);
    if (text.matches()) {
      return new Forwarding(text.group(1), text.group(2));
    }
    Matcher publicUrl = JSON_PUBLIC.matcher(line);
    Matcher localUrl = JSON_LOCAL.matcher(line);
    if (!publicUrl.find() || !localUrl.find()) {
      throw new AssertionError("tunnel_ready event without public_url and local_url: " + line);
    }
    return new Forwarding(publicUrl.group(1), localUrl.group(1));
  }

  private static boolean isReadiness(String line) {
    return TEXT_READY.matcher(line).matches() || JSON_EVENT.matcher(line).find();
  }

  /** Polls {@code GET http://127.0.0.1:adminPort/health} until it answers 200; fails on timeout or exit. */
  public void awaitHealthy(int adminPort, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri = URI.create("http://127.0.0.1:" + adminPort + "/health");
    String last = "no answer";
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError(process.name() + " exited before " + uri + " answered 200\n" + process.output());
        }
        try {
          HttpResponse<String> response = client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          last = response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString();
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(HEALTH_POLL.toNanos(), Math.max(0, deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + uri, e);
    }
    throw new AssertionError(uri + " not healthy within " + timeout + " (last: " + last + ")\n" + process.output());
  }

  public int awaitExit(Duration timeout) {
    return process.awaitExit(timeout);
  }

  public void sendSigterm() {
    process.sendSigterm();
  }

  public void kill() {
    process.kill();
  }

  @Override
  public void close() {
    process.close();
  }
}
