package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.metrics.Rejections;
import dev.grok.testing.leak.LeakDetection;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/2 edge's limits, each tried with a hand-written h2c client ({@link RawH2}) on a real server and tunnel:
 * the abusive connection is reset or ends with GOAWAY ENHANCE_YOUR_CALM, the refusal is counted in
 * {@code grok_edge_rejected_total{reason}}, and a normal request on another connection is still served.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class EdgeHttp2LimitsTest {
  private static final String NAME = "h2limits";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  @TempDir
  static Path dataDir;
  static OneTunnel tunnel;

  @BeforeAll
  static void start() {
    tunnel = OneTunnel.start(dataDir, NAME);
  }

  @AfterAll
  static void stop() {
    if (tunnel != null) {
      tunnel.close();
    }
  }

  private static Rejections rejections() {
    return tunnel.server().server().metrics().rejections();
  }

  private static RawH2 connect() throws Exception {
    return RawH2.connect(tunnel.httpPort(), READ_TIMEOUT);
  }

  private static Http2Headers get(String path) {
    return RawH2.request("GET", tunnel.host(), path);
  }

  private static Http2Headers post(String path) {
    return RawH2.request("POST", tunnel.host(), path);
  }

  /** A plain GET on a new connection is answered 200 by the local service. */
  static void assertStillServed() throws Exception {
    assertServed(tunnel, "/still-served");
  }

  /** A plain GET of {@code path} on a new connection to {@code t} is answered 200 by its local service. */
  static void assertServed(OneTunnel t, String path) throws Exception {
    try (RawH2 h2 = RawH2.connect(t.httpPort(), READ_TIMEOUT)) {
      h2.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0])
          .headers(1, RawH2.request("GET", t.host(), path), true).flush();
      RawH2.Frame answer = h2.awaitAnswer(1);
      assertThat(answer).as("answer to a normal request (%s)", h2.end()).isNotNull();
      assertThat(answer.type()).isEqualTo(RawH2.HEADERS);
      assertThat(RawH2.status(answer)).isEqualTo("200");
    }
  }

  /** GOAWAY with ENHANCE_YOUR_CALM, or the connection cut before the GOAWAY could be read. */
  private static void assertCalmedDown(RawH2 h2, String debugWords) {
    RawH2.Frame goAway = h2.await(RawH2.GOAWAY, 0);
    if (goAway != null) {
      assertThat(goAway.errorCode()).isEqualTo(RawH2.ENHANCE_YOUR_CALM);
      assertThat(goAway.debugText()).contains(debugWords);
    } else {
      // The server closed with our flood unread in its buffer: its kernel answered with a reset.
      assertThat(h2.end()).isIn(RawH2.End.CLOSED, RawH2.End.RESET);
    }
  }

  @Test
  void rapidResetEndsTheConnectionWithGoAway() throws Exception {
    double before = rejections().edgeCount("h2_rapid_reset");
    try (RawH2 h2 = connect()) {
      for (int i = 0; i < 300; i++) {
        int stream = 2 * i + 1;
        h2.headers(stream, get("/rapid-reset/" + i), false).rst(stream, 0x8 /* CANCEL */);
      }
      h2.flush();
      assertCalmedDown(h2, "RST");
    }
    assertThat(rejections().edgeCount("h2_rapid_reset")).isEqualTo(before + 1);
    assertStillServed();
  }

  @Test
  void pingFloodEndsTheConnection() throws Exception {
    double before = rejections().edgeCount("h2_flood");
    try (RawH2 h2 = connect()) {
      for (int i = 0; i < 1_100; i++) {
        h2.ping(i);
      }
      h2.flush();
      assertCalmedDown(h2, "control frame flood");
    }
    assertThat(rejections().edgeCount("h2_flood")).isEqualTo(before + 1);
    assertStillServed();
  }

  @Test
  void settingsFloodEndsTheConnection() throws Exception {
    double before = rejections().edgeCount("h2_flood");
    try (RawH2 h2 = connect()) {
      for (int i = 0; i < 1_100; i++) {
        h2.settings();
      }
      h2.flush();
      assertCalmedDown(h2, "control frame flood");
    }
    assertThat(rejections().edgeCount("h2_flood")).isEqualTo(before + 1);
    assertStillServed();
  }

  @Test
  void emptyDataFramesEndTheConnection() throws Exception {
    double before = rejections().edgeCount("h2_flood");
    try (RawH2 h2 = connect()) {
      h2.headers(1, post("/empty-data"), false);
      for (int i = 0; i < 5; i++) {
        h2.data(1, new byte[0], false);
      }
      h2.flush();
      assertCalmedDown(h2, "empty data frames");
    }
    assertThat(rejections().edgeCount("h2_flood")).isEqualTo(before + 1);
    assertStillServed();
  }

  @Test
  void streamsBeyondTheConcurrencyLimitAreRefusedEvenWithoutSettingsAck() throws Exception {
    double before = rejections().edgeCount("h2_refused_stream");
    try (RawH2 h2 = connect()) {
      // 257 requests whose bodies never come: each stream stays open. Our SETTINGS ACK is never sent.
      for (int i = 0; i < 257; i++) {
        h2.headers(2 * i + 1, post("/open/" + i), false);
      }
      h2.flush();
      RawH2.Frame refused = h2.await(RawH2.RST_STREAM, 2 * 256 + 1);
      assertThat(refused).as("reset of stream 513 (%s)", h2.end()).isNotNull();
      assertThat(refused.errorCode()).isEqualTo(RawH2.REFUSED_STREAM);
    }
    assertThat(rejections().edgeCount("h2_refused_stream")).isEqualTo(before + 1);
    assertStillServed();
  }

  @Test
  void oversizedHeaderListGets431() throws Exception {
    double before = rejections().edgeCount("h2_header_list_too_large");
    try (RawH2 h2 = connect()) {
      Http2Headers big = get("/big-headers");
      big.add("x-big", "a".repeat(34 * 1024));
      h2.headers(1, big, true).flush();
      RawH2.Frame answer = h2.awaitAnswer(1);
      assertThat(answer).as("answer (%s)", h2.end()).isNotNull();
      assertThat(answer.type()).isEqualTo(RawH2.HEADERS);
      assertThat(RawH2.status(answer)).isEqualTo("431");
    }
    assertThat(rejections().edgeCount("h2_header_list_too_large")).isEqualTo(before + 1);
    assertThat(tunnel.origin().requests().all()).noneMatch(r -> r.uri().equals("/big-headers"));
    assertStillServed();
  }

  @Test
  void refusalsAppearOnTheMetricsPage() throws Exception {
    try (RawH2 h2 = connect()) {
      for (int i = 0; i < 1_100; i++) {
        h2.ping(i);
      }
      h2.flush();
      assertCalmedDown(h2, "control frame flood");
    }
    assertThat(tunnel.server().server().metrics().scrape()).contains("grok_edge_rejected_total{reason=\"h2_flood\"}");
  }
}
