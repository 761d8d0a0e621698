package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection limits and floods on loopback: beyond the limit per address a visitor gets 429 and a closed socket,
 * beyond the total limit a closed socket, and those already in keep being served; 900 visitors each holding a
 * half-sent head do not keep a normal request from being served.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class EdgeConnectionLimitsTest {
  @TempDir
  Path dataDir;

  private OneTunnel start(EdgeGuardConfig guard) {
    OneTunnel t = OneTunnel.builder("limits").dataDir(dataDir).server(c -> c.withEdgeGuard(guard)).build();
    t.start();
    return t;
  }

  @Test
  void connectionsBeyondTheLimitPerAddressGet429AndThoseInKeepWorking() throws Exception {
    try (OneTunnel t = start(EdgeGuardConfig.DEFAULTS.withConnectionLimits(5, 10_000))) {
      List<RawHttpConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          RawHttpConnection c = RawHttp.connect(t.httpPort());
          held.add(c);
          assertThat(c.exchange(RawRequest.get("/in/" + i).host(t.host())).status()).isEqualTo(200);
        }

        String refused = RawHttp.sendAndReadUntilClose(t.httpPort(),
            "GET /sixth HTTP/1.1\r\nHost: " + t.host() + "\r\n\r\n");

        assertThat(refused).startsWith("HTTP/1.1 429 ");
        for (RawHttpConnection c : held) {
          assertThat(c.exchange(RawRequest.get("/again").host(t.host())).status()).isEqualTo(200);
        }
        held.remove(0).close();
        assertThat(admittedWithinAttempts(t, 100)).as("a freed place is given to the next visitor").isTrue();
      } finally {
        for (RawHttpConnection c : held) {
          c.close();
        }
      }
    }
  }

  @Test
  void connectionsBeyondTheTotalLimitAreClosedUnanswered() throws Exception {
    try (OneTunnel t = start(EdgeGuardConfig.DEFAULTS.withConnectionLimits(100, 3))) {
      List<RawHttpConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawHttpConnection c = RawHttp.connect(t.httpPort());
          held.add(c);
          assertThat(c.exchange(RawRequest.get("/in/" + i).host(t.host())).status()).isEqualTo(200);
        }

        byte[] refused = RawHttp.sendAndReadUntilClose(t.httpPort(),
            ("GET /fourth HTTP/1.1\r\nHost: " + t.host() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

        assertThat(refused).isEmpty();
        assertThat(held.get(2).exchange(RawRequest.get("/still").host(t.host())).status()).isEqualTo(200);
        assertThat(t.server().server().metrics().scrape()).contains("grok_edge_rejected_total{reason=\"max_connections\"}");
      } finally {
        for (RawHttpConnection c : held) {
          c.close();
        }
      }
    }
  }

  @Test
  void nineHundredVisitorsHoldingHalfSentHeadsDoNotKeepANormalRequestFromBeingServed() throws Exception {
    try (OneTunnel t = start(EdgeGuardConfig.DEFAULTS.withConnectionLimits(2_000, 10_000))) {
      List<RawHttpConnection> holders = new ArrayList<>();
      try {
        for (int i = 0; i < 900; i++) {
          RawHttpConnection c = RawHttp.connect(t.httpPort());
          holders.add(c);
          c.send("GET /held/" + i + " HTTP/1.1\r\nHost: " + t.host() + "\r\nX-Half: sent");
        }

        assertThat(RawHttp.exchange(t.httpPort(), RawRequest.get("/normal").host(t.host())).status())
            .isEqualTo(200);
        assertThat(t.origin().requests().all()).extracting(r -> r.path()).containsExactly("/normal");
        // the holders were held, not refused: a few of them finish their heads and are served
        for (int i = 0; i < 900; i += 150) {
          holders.get(i).send("\r\n\r\n");
          assertThat(holders.get(i).readResponse().status()).isEqualTo(200);
        }
      } finally {
        for (RawHttpConnection c : holders) {
          c.close();
        }
      }
    }
  }

  /** True once a new connection is served (the server frees a closed one's place asynchronously). */
  private static boolean admittedWithinAttempts(OneTunnel t, int attempts) throws Exception {
    for (int i = 0; i < attempts; i++) {
      String answer = RawHttp.sendAndReadUntilClose(t.httpPort(),
          "GET /retry HTTP/1.1\r\nHost: " + t.host() + "\r\nConnection: close\r\n\r\n");
      if (answer.startsWith("HTTP/1.1 200 ")) {
        return true;
      }
    }
    return false;
  }
}
