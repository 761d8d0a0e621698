package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.BytePattern;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.websocket.OriginSession;
import dev.grok.testing.websocket.WebSocketEchoOrigin;
import dev.grok.testing.websocket.WebSocketVisitor;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WebSocket through {@code grok http}: the handshake reaches the local service as it sees it, messages of any size
 * and number come back whole and in order, the origin's greeting behind its 101 arrives, a refused upgrade reaches
 * the visitor as it was answered, and an idle session is not cut by the response timeout.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class WebSocketTest {
  private static final String NAME = "websocket";
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).origin(OneTunnel.Origin.WEBSOCKET)
      .responseTimeout(RESPONSE_TIMEOUT).build();

  private WebSocketVisitor visitor;

  @BeforeEach
  void resetOrigin() {
    tunnel.webSocketOrigin().setGreeting(null);
    tunnel.webSocketOrigin().setRefuseUpgrades(false);
    tunnel.webSocketOrigin().clearSessions();
  }

  @AfterEach
  void closeVisitor() {
    if (visitor != null) {
      visitor.close();
    }
  }

  private static WebSocketVisitor open(String name, String pathAndQuery) throws Exception {
    return tunnel.openWebSocket(name, pathAndQuery, WAIT);
  }

  @Test
  void textMessagesComeBackFromTheLocalService() throws Exception {
    visitor = open(NAME, "/chat");
    for (String text : new String[] {"hello", "", "grüße über den tunnel", "x".repeat(70_000)}) {
      visitor.sendText(text);
      WebSocketVisitor.Message echo = visitor.take(WAIT);
      assertThat(echo.text()).isTrue();
      assertThat(echo.asText()).isEqualTo(text);
    }
  }

  @Test
  void oneMebibyteBinaryMessagesComeBackWhole() throws Exception {
    visitor = open(NAME, "/binary");
    for (int i = 0; i < 3; i++) {
      byte[] message = BytePattern.bytes(1024 * 1024 + i);
      message[i] = (byte) i; // each message differs from the last
      visitor.sendBinary(message);
      WebSocketVisitor.Message echo = visitor.take(WAIT);
      assertThat(echo.text()).isFalse();
      assertThat(echo.bytes().length).isEqualTo(message.length);
      assertThat(Arrays.equals(echo.bytes(), message)).as("echo %d equals what was sent", i).isTrue();
    }
  }

  @Test
  void twoThousandBackToBackMessagesArriveInOrder() throws Exception {
    visitor = open(NAME, "/burst");
    int count = 2000;
    for (int i = 0; i < count; i++) {
      visitor.sendText("message " + i + " " + "y".repeat(i % 700));
    }
    for (int i = 0; i < count; i++) {
      assertThat(visitor.take(WAIT).asText()).isEqualTo("message " + i + " " + "y".repeat(i % 700));
    }
  }

  @Test
  void greetingTheLocalServiceSendsWithIts101Arrives() throws Exception {
    tunnel.webSocketOrigin().setGreeting("welcome, visitor");
    visitor = open(NAME, "/greeting");

    assertThat(visitor.take(WAIT).asText()).isEqualTo("welcome, visitor");
    visitor.sendText("after the greeting");
    assertThat(visitor.take(WAIT).asText()).isEqualTo("after the greeting");
  }

  @Test
  void handshakeReachesTheLocalServiceWithRewrittenHostAndRawPathAndQuery() throws Exception {
    visitor = open(NAME, "/rooms/a%2Fb?user=ann&x=%20y");
    OriginSession session = tunnel.webSocketOrigin().takeSession(WAIT);

    assertThat(session.method()).isEqualTo("GET");
    assertThat(session.uri()).isEqualTo("/rooms/a%2Fb?user=ann&x=%20y");
    assertThat(session.header("Host")).isEqualTo(tunnel.webSocketOrigin().hostAndPort());
    assertThat(session.header("Upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(session.header("Connection")).containsIgnoringCase("upgrade");
    assertThat(session.header("Sec-WebSocket-Key")).isNotBlank();
    assertThat(session.header("X-Forwarded-Host")).isEqualTo(tunnel.host());
  }

  @Test
  void handshakeKeepsTheVisitorsHostWithHostHeaderPreserve() throws Exception {
    String preserved = "websocket-preserve";
    try (TestClient preserving = TestClient.start(tunnel.server(), tunnel.server().adminToken(), preserved,
        tunnel.webSocketOrigin().hostAndPort(), "preserve")) {
      preserving.awaitReady();
      visitor = open(preserved, "/p?q=1");
      OriginSession session = tunnel.webSocketOrigin().takeSession(WAIT);

      assertThat(session.header("Host")).isEqualTo(tunnel.host(preserved));
      assertThat(session.uri()).isEqualTo("/p?q=1");
      visitor.sendText("through the preserving tunnel");
      assertThat(visitor.take(WAIT).asText()).isEqualTo("through the preserving tunnel");
    }
  }

  @Test
  void refusedUpgradeReachesTheVisitorAsTheLocalServiceAnsweredIt() throws Exception {
    tunnel.webSocketOrigin().setRefuseUpgrades(true);
    try (RawHttpConnection connection = RawHttp.connect("127.0.0.1", tunnel.httpPort(), WAIT)) {
      RawResponse response = connection.exchange(RawRequest.get("/refused?why=test").host(tunnel.host())
          .header("Connection", "Upgrade")
          .header("Upgrade", "websocket")
          .header("Sec-WebSocket-Version", "13")
          .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.bodyText()).isEqualTo(WebSocketEchoOrigin.REFUSAL_BODY);
      assertThat(response.header("X-Grok-Error")).isNull();
      // After an upgrade request the edge cannot read the connection as HTTP again: it says so and closes it.
      assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.readUntilClose()).isEmpty();
    }
    assertThat(tunnel.webSocketOrigin().takeSession(WAIT).uri()).isEqualTo("/refused?why=test");
  }

  @Test
  void idleSessionOutlivesTheResponseTimeout() throws Exception {
    visitor = open(NAME, "/idle");
    visitor.sendText("before the pause");
    assertThat(visitor.take(WAIT).asText()).isEqualTo("before the pause");

    // The pause is the behaviour under test: three seconds longer than the response timeout, nothing sent.
    Thread.sleep(RESPONSE_TIMEOUT.plusSeconds(3).toMillis());

    assertThat(visitor.isOpen()).isTrue();
    visitor.sendText("after the pause");
    assertThat(visitor.take(WAIT).asText()).isEqualTo("after the pause");
  }
}
