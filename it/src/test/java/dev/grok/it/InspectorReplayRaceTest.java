package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.RecordedRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying a POST moments after it arrived: the inspector lists the exchange as soon as its head went to the local
 * service, before its body. A replay asked for then is refused (409, "still arriving") instead of being sent with
 * an empty body; once the body went by, the replay carries it. Deterministic: the visitor holds its body back
 * until the replay has been asked for.
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class InspectorReplayRaceTest {
  private static final String NAME = "replay-race";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static InspectedClient client;
  static InspectorHttp api;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    client = InspectedClient.ready(server, NAME, origin.port(), 4096);
    api = new InspectorHttp(client.inspectorUrl());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {client, server, origin}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void replayOfARequestWhoseBodyIsStillArrivingIsRefusedThenCarriesTheWholeBody() throws Exception {
    String body = "{\"order\":1}";
    try (RawHttpConnection visitor = RawHttp.connect(server.httpPort())) {
      visitor.send("POST /race HTTP/1.1\r\nHost: " + server.host(NAME) + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n");
      long id = await().atMost(WAIT).until(() -> listed("/race"), e -> e != null).path("id").asLong();

      HttpResponse<String> early = api.post("/api/requests/" + id + "/replay", "");

      assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
      assertThat(early.body()).contains("still arriving");

      visitor.send(body);
      assertThat(visitor.readResponse().status()).isEqualTo(200);
    }
    RecordedRequest first = origin.takeRequest(WAIT);
    assertThat(first.bodySha256()).isEqualTo(Sha256.hex(body.getBytes(StandardCharsets.UTF_8)));
    long id = await().atMost(WAIT).until(() -> listed("/race"), e -> e.path("state").asText().equals("complete"))
        .path("id").asLong();

    HttpResponse<String> later = api.post("/api/requests/" + id + "/replay", "");

    assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
    RecordedRequest replayed = origin.takeRequest(WAIT);
    assertThat(replayed.method()).isEqualTo("POST");
    assertThat(replayed.bodySha256()).isEqualTo(first.bodySha256()); // never the replay without its body
  }

  /** The first (oldest) exchange listed with {@code path}; null while there is none. */
  private static JsonNode listed(String path) {
    JsonNode list = api.json("/api/requests").path("requests");
    JsonNode found = null;
    for (JsonNode e : StreamSupport.stream(list.spliterator(), false).toList()) {
      if (e.path("path").asText().equals(path) && e.path("replay_of").isMissingNode()) {
        found = e;
      }
    }
    return found;
  }
}
