package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.EventLoops;
import dev.grok.server.ServerConfig;
import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.websocket.WebSocketEchoOrigin;
import dev.grok.testing.websocket.WebSocketVisitor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header, body and idle deadlines on loopback, with a real server whose deadlines are one second: a
 * slowloris visitor is cut at the header deadline, a stalled body at the body deadline, an idle keep-alive
 * connection at the idle deadline, and an upgraded WebSocket connection by none of them.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class EdgeDeadlinesLoopbackTest {
  private static final Duration DEADLINE = Duration.ofSeconds(1);

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static WebSocketEchoOrigin wsOrigin;
  static TestClient client;
  static TestClient wsClient;
  static EventLoops visitorLoops;

  @BeforeAll
  static void start() {
    ServerConfig config = ServerConfig.forTests(dataDir)
        .withEdgeGuard(EdgeGuardConfig.DEFAULTS.withTimeouts(DEADLINE, DEADLINE, DEADLINE));
    server = TestServer.start(config);
    origin = LocalHttpOrigin.start();
    wsOrigin = WebSocketEchoOrigin.start();
    client = TestClient.ready(server, server.adminToken(), "deadlines", origin.hostAndPort());
    wsClient = TestClient.ready(server, server.adminToken(), "wsdeadlines", wsOrigin.hostAndPort());
    visitorLoops = EventLoops.create("visitors", 1);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {client, wsClient, server, origin, wsOrigin, visitorLoops}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing the rest matters more
      }
    }
  }

  @Test
  void slowlorisTricklingItsHeadGets408AtTheHeaderDeadline() throws Exception {
    byte[] head = ("GET / HTTP/1.1\r\nHost: " + server.host("deadlines") + "\r\nX-Padding: " + "p".repeat(200)
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger sent = new AtomicInteger();
    try (RawHttpConnection c = RawHttp.connect(server.httpPort())) {
      // one byte every 50 ms: the whole head would take over 12 s; the deadline is 1 s for all of it
      trickler.scheduleAtFixedRate(() -> {
        int i = sent.get();
        if (i < head.length) {
          try {
            c.send(new byte[] {head[i]});
            sent.incrementAndGet();
          } catch (IOException closed) {
            throw new IllegalStateException(closed); // ends the task: the edge closed
          }
        }
      }, 0, 50, TimeUnit.MILLISECONDS);

      RawResponse response = c.readResponse();

      assertThat(response.status()).isEqualTo(408);
      assertThat(sent.get()).as("bytes of the head sent before the cut").isLessThan(head.length);
    } finally {
      trickler.shutdownNow();
    }
    assertThat(origin.requests().all()).extracting(r -> r.header("X-Padding")).containsOnlyNulls();
  }

  @Test
  void idleKeepAliveConnectionIsClosedAtTheIdleDeadline() throws Exception {
    try (RawHttpConnection c = RawHttp.connect(server.httpPort())) {
      assertThat(c.exchange(RawRequest.get("/first").host(server.host("deadlines"))).status()).isEqualTo(200);

      byte[] rest = c.readUntilClose();

      assertThat(rest).as("closed without a word").isEmpty();
    }
  }

  @Test
  void requestBodyThatStopsGets408AtTheBodyDeadline() throws Exception {
    try (RawHttpConnection c = RawHttp.connect(server.httpPort())) {
      c.send("POST /sha256 HTTP/1.1\r\nHost: " + server.host("deadlines") + "\r\nContent-Length: 10\r\n\r\nabc");

      RawResponse response = c.readResponse();

      assertThat(response.status()).isEqualTo(408);
      assertThat(c.readUntilClose()).isEmpty();
    }
  }

  @Test
  void upgradedWebSocketOutlivesEveryDeadline() throws Exception {
    URI uri = URI.create("ws://" + server.host("wsdeadlines") + "/chat");
    WebSocketVisitor ws = WebSocketVisitor.open(visitorLoops.group(), visitorLoops.channelType(), server.httpPort(),
        uri, Duration.ofSeconds(20));
    try {
      // A keep-alive connection opened after the WebSocket is closed by the idle deadline: the WebSocket has then
      // been silent longer than every deadline.
      try (RawHttpConnection c = RawHttp.connect(server.httpPort())) {
        assertThat(c.exchange(RawRequest.get("/clock").host(server.host("deadlines"))).status()).isEqualTo(200);
        assertThat(c.readUntilClose()).isEmpty();
      }

      ws.sendText("still here");

      assertThat(ws.take(Duration.ofSeconds(20)).asText()).isEqualTo("still here");
    } finally {
      ws.close();
    }
  }
}
