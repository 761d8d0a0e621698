package dev.grok.testing.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.http.ConnectionClosedException;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class OriginFaultTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(300);

  private LocalHttpOrigin origin;

  @BeforeEach
  void start() {
    origin = LocalHttpOrigin.start();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void resetAtStartIsSeenAsAClosedConnection() throws Exception {
    assertThatThrownBy(() -> RawHttp.exchange(origin.port(), RawRequest.get("/fault/RESET_AT_START").host("h")))
        .isInstanceOf(ConnectionClosedException.class)
        .satisfies(e -> assertThat(((ConnectionClosedException) e).received()).isEmpty());

    RecordedRequest recorded = origin.takeRequest(TIMEOUT);
    assertThat(recorded.path()).isEqualTo("/fault/RESET_AT_START");
    assertThat(recorded.bodyComplete()).isFalse();
  }

  @Test
  void globalFaultAppliesToEveryPath() throws Exception {
    origin.setFault(Fault.RESET_AT_START);
    assertThatThrownBy(() -> RawHttp.exchange(origin.port(), RawRequest.get("/echo").host("h")))
        .isInstanceOf(ConnectionClosedException.class);

    origin.setFault(null);
    assertThat(RawHttp.exchange(origin.port(), RawRequest.get("/").host("h")).status()).isEqualTo(200);
  }

  @Test
  void closeMidBodySendsTenOfTheThousandPromisedBytes() throws Exception {
    assertThatThrownBy(() -> RawHttp.exchange(origin.port(), RawRequest.get("/fault/CLOSE_MID_BODY").host("h")))
        .isInstanceOf(ConnectionClosedException.class)
        .satisfies(e -> {
          String received = new String(((ConnectionClosedException) e).received(), StandardCharsets.ISO_8859_1);
          assertThat(received).startsWith("HTTP/1.1 200").contains("content-length: 1000")
              .endsWith("\r\n\r\n" + Fault.CLOSE_MID_BODY_BYTES);
        });
  }

  @Test
  void stallAfterHeadersSendsTheHeadThenNothing() throws Exception {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<InputStream> response = client.send(
          HttpRequest.newBuilder(URI.create(origin.url("/fault/STALL_AFTER_HEADERS"))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      response.body().close();
    }
    try (RawHttpConnection connection = RawHttp.connect("127.0.0.1", origin.port(), SHORT)) {
      connection.send(RawRequest.get("/fault/STALL_AFTER_HEADERS").host("h"));
      assertThatThrownBy(connection::readResponse).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void stallReadsTheRequestAndNeverAnswers() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect("127.0.0.1", origin.port(), SHORT)) {
      connection.send(RawRequest.of("POST", "/stall").host("h").body("payload"));

      RecordedRequest recorded = origin.takeRequest(TIMEOUT);
      assertThat(recorded.bodyLength()).isEqualTo(7);
      assertThat(recorded.bodyComplete()).isTrue();
      assertThatThrownBy(connection::readResponse).isInstanceOf(SocketTimeoutException.class);
    }
    origin.awaitOpenConnectionsAtMost(0, TIMEOUT);
  }

  @Test
  void requestCutShortIsRecordedIncomplete() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      connection.send("POST /sha256 HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789");
    }

    RecordedRequest recorded = origin.takeRequest(TIMEOUT);
    assertThat(recorded.bodyComplete()).isFalse();
    assertThat(recorded.bodyLength()).isEqualTo(10);
  }

  @Test
  void malformedChunkEndsTheRequestIncomplete() throws Exception {
    String request = "POST /sha256 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n";

    assertThat(RawHttp.sendAndReadUntilClose(origin.port(), request)).isEmpty();
    RecordedRequest recorded = origin.takeRequest(TIMEOUT);
    assertThat(recorded.bodyComplete()).isFalse();
    assertThat(recorded.bodyLength()).isEqualTo(3);
  }
}
