package dev.grok.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the admin port of a {@link TestServer} over loopback, the way curl would. */
final class AdminHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final int port;

  AdminHttp(TestServer server) {
    this.port = server.server().adminPort();
  }

  /** A request to {@code path}; {@code headers} are name, value pairs; {@code json} null: no body. */
  HttpResponse<String> send(String method, String path, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A call with {@code Authorization: Bearer token}. */
  HttpResponse<String> bearer(String method, String path, String json, String token) {
    return send(method, path, json, "Authorization", "Bearer " + token);
  }

  /** The JSON body of a call with {@code token} that must answer {@code expectedStatus}. */
  JsonNode call(String method, String path, String json, String token, int expectedStatus) {
    HttpResponse<String> r = bearer(method, path, json, token);
    if (r.statusCode() != expectedStatus) {
      throw new AssertionError(method + " " + path + ": expected " + expectedStatus + ", got " + r.statusCode()
          + " " + r.body());
    }
    return parse(r.body());
  }

  /** {@code value} as JSON text. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
