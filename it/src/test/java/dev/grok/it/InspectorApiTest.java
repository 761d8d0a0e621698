package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.testing.Await;
import dev.grok.testing.Header;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.OriginResponse;
import dev.grok.testing.origin.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inspector's JSON API, without a browser: every endpoint against a real tunnel, server and local service.
 * Each test uses paths of its own, as the exchange log is shared by the class.
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class InspectorApiTest {
  private static final String NAME = "inspected";
  /** A small capture limit, so that truncation is cheap to provoke. */
  private static final int BODY_LIMIT = 4096;
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder()
      .routes(origin -> origin.route("/json", r -> new OriginResponse(200,
          List.of(new Header("Content-Type", "application/json")),
          "{\"answer\":42,\"list\":[1,2]}".getBytes(StandardCharsets.UTF_8))))
      .routes(origin -> origin.route("/big", r -> OriginResponse.text(200, "x".repeat(3 * BODY_LIMIT))))
      .build();
  static InspectedClient client;
  static InspectorHttp api;

  @BeforeAll
  static void start() {
    client = tunnel.closing(InspectedClient.ready(tunnel.server(), NAME, tunnel.origin().port(), BODY_LIMIT));
    api = new InspectorHttp(client.inspectorUrl());
  }

  private static RawResponse visit(RawRequest request) throws Exception {
    return RawHttp.exchange(tunnel.httpPort(), request.host(tunnel.host(NAME)));
  }

  /** The finished exchange listed with {@code path}, waiting for it to be complete. */
  private static JsonNode finished(String path) {
    return await().atMost(WAIT).until(() -> entries().filter(e -> e.path("path").asText().equals(path)
        && e.path("state").asText().equals("complete")).findFirst().orElse(null), e -> e != null);
  }

  private static Stream<JsonNode> entries() {
    JsonNode list = api.json("/api/requests").path("requests");
    return java.util.stream.StreamSupport.stream(list.spliterator(), false);
  }

  private static RecordedRequest originRequest(String path) {
    while (true) {
      RecordedRequest r = tunnel.origin().takeRequest(WAIT);
      if (r.path().equals(path)) {
        return r;
      }
    }
  }

  @Test
  void statusSaysConnectedWithThePublicAndLocalUrls() {
    JsonNode status = api.json("/api/status");

    assertThat(status.path("connected").asBoolean()).isTrue();
    assertThat(status.path("public_url").asText()).isEqualTo(client.publicUrl());
    assertThat(status.path("local_url").asText()).isEqualTo("http://localhost:" + tunnel.origin().port());
    assertThat(status.path("body_limit_bytes").asInt()).isEqualTo(BODY_LIMIT);
  }

  @Test
  void requestsAreListedNewestFirstWithPathAndQuery() throws Exception {
    assertThat(visit(RawRequest.get("/list/first?a=1")).status()).isEqualTo(200);
    JsonNode first = finished("/list/first?a=1");
    assertThat(visit(RawRequest.get("/list/second?b=2&c")).status()).isEqualTo(200);
    JsonNode second = finished("/list/second?b=2&c");

    var ids = entries().map(e -> e.path("id").asLong()).toList();
    assertThat(ids.indexOf(second.path("id").asLong())).isLessThan(ids.indexOf(first.path("id").asLong()));
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(second.path("method").asText()).isEqualTo("GET");
    assertThat(second.path("status").asInt()).isEqualTo(200);
    assertThat(second.path("duration_ms").asDouble()).isPositive();
  }

  @Test
  void detailShowsHeadersAndBodiesOfBothSides() throws Exception {
    visit(RawRequest.of("POST", "/json/detail?q=1").header("Content-Type", "text/plain")
        .header("X-Inspect-Me", "yes").body("hello inspector"));
    JsonNode e = api.json("/api/requests/" + finished("/json/detail?q=1").path("id").asLong());

    assertThat(e.path("request").path("headers").toString()).contains("X-Inspect-Me").contains("yes");
    JsonNode requestBody = e.path("request").path("body");
    assertThat(requestBody.path("text").asText()).isEqualTo("hello inspector");
    assertThat(requestBody.path("truncated").asBoolean()).isFalse();
    assertThat(e.path("response").path("headers").toString()).contains("application/json");
    assertThat(e.path("response").path("body").path("text").asText()).isEqualTo("{\"answer\":42,\"list\":[1,2]}");
    assertThat(e.path("timings").path("local_response_ms").asDouble()).isPositive();
  }

  @Test
  void bodiesOverTheLimitAreTruncatedAndSaySo() throws Exception {
    byte[] upload = new byte[2 * BODY_LIMIT + 7];
    for (int i = 0; i < upload.length; i++) {
      upload[i] = (byte) i; // binary: shown as base64
    }
    visit(RawRequest.of("PUT", "/big/upload").body(upload));
    JsonNode e = api.json("/api/requests/" + finished("/big/upload").path("id").asLong());

    JsonNode req = e.path("request").path("body");
    assertThat(req.path("size").asLong()).isEqualTo(upload.length);
    assertThat(req.path("captured").asInt()).isEqualTo(BODY_LIMIT);
    assertThat(req.path("truncated").asBoolean()).isTrue();
    assertThat(req.path("encoding").asText()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(req.path("base64").asText()))
        .isEqualTo(java.util.Arrays.copyOf(upload, BODY_LIMIT));
    JsonNode resp = e.path("response").path("body");
    assertThat(resp.path("size").asLong()).isEqualTo(3L * BODY_LIMIT);
    assertThat(resp.path("text").asText()).isEqualTo("x".repeat(BODY_LIMIT));
    assertThat(resp.path("truncated").asBoolean()).isTrue();
  }

  @Test
  void replayAsItWasReachesTheLocalServiceAgain() throws Exception {
    String body = "{\"event\":\"payment\"}";
    visit(RawRequest.of("POST", "/hook/as-is?n=1").header("Content-Type", "application/json").body(body));
    JsonNode original = finished("/hook/as-is?n=1");
    RecordedRequest first = originRequest("/hook/as-is");

    HttpResponse<String> r = api.post("/api/requests/" + original.path("id").asLong() + "/replay", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    long replayId = InspectorHttp.parse(r.body()).path("id").asLong();

    RecordedRequest again = originRequest("/hook/as-is");
    assertThat(again.method()).isEqualTo("POST");
    assertThat(again.uri()).isEqualTo("/hook/as-is?n=1");
    assertThat(again.bodySha256()).isEqualTo(first.bodySha256())
        .isEqualTo(Sha256.hex(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(again.header("Content-Type")).isEqualTo("application/json");
    JsonNode replay = await().atMost(WAIT).until(() -> api.json("/api/requests/" + replayId),
        e -> e.path("state").asText().equals("complete"));
    assertThat(replay.path("replay_of").asLong()).isEqualTo(original.path("id").asLong());
    assertThat(replay.path("request").path("body").path("text").asText()).isEqualTo(body);
  }

  @Test
  void replayWithEditsSendsTheEditedRequest() throws Exception {
    visit(RawRequest.of("POST", "/hook/to-edit").body("original"));
    long id = finished("/hook/to-edit").path("id").asLong();
    originRequest("/hook/to-edit");

    HttpResponse<String> r = api.post("/api/requests/" + id + "/replay", "{\"method\":\"PUT\",\"path\":\"/hook/"
        + "edited?x=1\",\"headers\":[{\"name\":\"X-Edited\",\"value\":\"yes\"}],\"body\":\"edited body\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    RecordedRequest edited = originRequest("/hook/edited");
    assertThat(edited.method()).isEqualTo("PUT");
    assertThat(edited.query()).isEqualTo("x=1");
    assertThat(edited.header("X-Edited")).isEqualTo("yes");
    assertThat(edited.bodyLength()).isEqualTo("edited body".length());
    assertThat(edited.bodySha256())
        .isEqualTo(Sha256.hex("edited body".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void replayRefusesAnInvalidEditAndAnUnknownId() {
    HttpResponse<String> unknown = api.post("/api/requests/999999/replay", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no exchange 999999");
    long any = entries().findFirst().map(e -> e.path("id").asLong()).orElseGet(() -> {
      try {
        visit(RawRequest.get("/for-bad-replay"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return finished("/for-bad-replay").path("id").asLong();
    });
    HttpResponse<String> bad = api.post("/api/requests/" + any + "/replay", "{\"path\":\"no slash\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("path: 'no slash'");
  }

  @Test
  void harExportParsesAndHasTheEntries() throws Exception {
    visit(RawRequest.of("POST", "/har/one?k=v").header("Content-Type", "text/plain").body("har body"));
    long id = finished("/har/one?k=v").path("id").asLong();

    JsonNode all = api.json("/api/har");
    assertThat(all.path("log").path("version").asText()).isEqualTo("1.2");
    assertThat(all.path("log").path("entries").size()).isEqualTo((int) entries().count());
    JsonNode one = api.json("/api/requests/" + id + "/har").path("log").path("entries");
    assertThat(one.size()).isEqualTo(1);
    JsonNode entry = one.get(0);
    assertThat(entry.path("request").path("method").asText()).isEqualTo("POST");
    assertThat(entry.path("request").path("url").asText()).isEqualTo(client.publicUrl() + "/har/one?k=v");
    assertThat(entry.path("request").path("queryString").get(0).path("name").asText()).isEqualTo("k");
    assertThat(entry.path("request").path("postData").path("text").asText()).isEqualTo("har body");
    assertThat(entry.path("response").path("status").asInt()).isEqualTo(200);
    assertThat(entry.path("response").path("content").path("text").asText())
        .isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
  }

  @Test
  void eventStreamDeliversANewRequest() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    HttpRequest subscribe = HttpRequest.newBuilder(URI.create(client.inspectorUrl() + "/api/events")).GET().build();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        api.client().sendAsync(subscribe, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    Thread reader = Thread.ofVirtual().start(() -> response.body()
        .filter(l -> l.startsWith("data:") && l.contains("/sse/live"))
        .findFirst().ifPresent(seen::complete));
    try {
      visit(RawRequest.get("/sse/live"));
      String event = Await.get(seen, WAIT, "an event for /sse/live");
      assertThat(InspectorHttp.parse(event.substring("data:".length())).path("method").asText()).isEqualTo("GET");
    } finally {
      response.body().close();
      reader.interrupt();
    }
  }

  @Test
  void metricsHaveTheTunnelsLatencyHistogram() throws Exception {
    visit(RawRequest.get("/metrics-probe"));
    finished("/metrics-probe");

    HttpResponse<String> r = api.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .containsPattern("grok_request_latency_seconds_bucket\\{[^}]*tunnel=\"" + NAME + "\"")
        .containsPattern("grok_request_latency_seconds_count\\{[^}]*method=\"GET\"[^}]*status=\"200\"")
        .containsPattern("grok_tunnel_bytes_total\\{[^}]*direction=\"out\"")
        .contains("grok_local_response_seconds")
        .doesNotContain("/metrics-probe");
  }

  @Test
  void thePageAndItsScriptsAreServed() {
    HttpResponse<String> page = api.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("/app.js");
    assertThat(api.get("/app.js").statusCode()).isEqualTo(200);
    assertThat(api.get("/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/requests/424242").statusCode()).isEqualTo(404);
  }
}
