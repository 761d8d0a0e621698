package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.testing.Await;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.websocket.WebSocketVisitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A thousand WebSocket sessions open at once through one tunnel. Each holds its own standby stream for as long as
 * it lives, and the client starts with 16: they can all be open together only because the server asked for more
 * with StreamDemand and the client opened them.
 */
@ExtendWith(LeakDetection.class)
@Timeout(240)
class WebSocketConcurrencyTest {
  private static final String NAME = "websocket-many";
  private static final int SESSIONS = 1000;
  /** Handshakes in progress at once: a visitor burst the size of the OS's accept backlog, no larger. */
  private static final int HANDSHAKES_IN_FLIGHT = 200;
  private static final Duration ALL_DONE = Duration.ofSeconds(180);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).origin(OneTunnel.Origin.WEBSOCKET)
      // 1,000 visitors from one address: above the edge's default limit per address (256), which is not what this
      // test is about (EdgeConnectionLimitsTest is).
      .server(c -> c.withEdgeGuard(EdgeGuardConfig.DEFAULTS.withConnectionLimits(SESSIONS + 100, 10_000)))
      .build();

  @Test
  void thousandSessionsOpenAtOnceEachEchoTheirOwnMessage() throws Exception {
    List<CompletableFuture<WebSocketVisitor>> opened = new ArrayList<>(SESSIONS);
    Semaphore handshakes = new Semaphore(HANDSHAKES_IN_FLIGHT);
    try {
      for (int i = 0; i < SESSIONS; i++) {
        handshakes.acquire();
        CompletableFuture<WebSocketVisitor> f = tunnel.connectWebSocket(NAME, "/session/" + i);
        f.whenComplete((v, e) -> handshakes.release());
        opened.add(f);
      }
      List<WebSocketVisitor> visitors = new ArrayList<>(SESSIONS);
      for (int i = 0; i < SESSIONS; i++) {
        visitors.add(Await.get(opened.get(i), ALL_DONE, "handshake of session " + i));
      }

      // Every session is open now; each one echoes while all the others are still open.
      for (int i = 0; i < SESSIONS; i++) {
        visitors.get(i).sendText("session " + i);
      }
      for (int i = 0; i < SESSIONS; i++) {
        assertThat(visitors.get(i).take(ALL_DONE).asText()).isEqualTo("session " + i);
        assertThat(visitors.get(i).isOpen()).isTrue();
      }
    } finally {
      for (CompletableFuture<WebSocketVisitor> f : opened) {
        f.thenAccept(WebSocketVisitor::close);
      }
    }
  }
}
