package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.http.StreamingResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bodies cross the tunnel intact in both directions: empty, 1 MiB, chunked, many on one kept-alive connection. */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class BodyTest {
  private static final String NAME = "bodies";
  private static final int MIB = 1024 * 1024;

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).build();

  private static RawResponse send(RawRequest request) throws Exception {
    return RawHttp.exchange(tunnel.httpPort(), request.host(tunnel.host()));
  }

  private static String digestJson(String sha256, long length) {
    return "{\"sha256\":\"" + sha256 + "\",\"length\":" + length + "}";
  }

  @Test
  void emptyRequestBodyArrivesEmpty() throws Exception {
    RawResponse response = send(RawRequest.of("POST", "/sha256?empty").body(new byte[0]));

    assertThat(response.bodyText()).isEqualTo(digestJson(Sha256.hex(new byte[0]), 0));
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), "/sha256?empty");
    assertThat(seen.bodyLength()).isZero();
    assertThat(seen.bodyComplete()).isTrue();
  }

  @Test
  void emptyResponseBodyArrivesWithLengthZero() throws Exception {
    RawResponse response = send(RawRequest.get("/bytes/0"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Length")).isEqualTo("0");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void oneMebibyteUploadArrivesIntact() throws Exception {
    RawResponse response = send(RawRequest.of("POST", "/sha256?mib").body(BytePattern.bytes(MIB)));

    assertThat(response.bodyText()).isEqualTo(digestJson(BytePattern.sha256Hex(MIB), MIB));
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), "/sha256?mib");
    assertThat(seen.headerValues("Content-Length")).containsExactly(String.valueOf(MIB));
  }

  @Test
  void oneMebibyteDownloadArrivesIntact() throws Exception {
    RawResponse response = send(RawRequest.get("/bytes/" + MIB));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(MIB));
    assertThat(Sha256.hex(response.body())).isEqualTo(BytePattern.sha256Hex(MIB));
  }

  @Test
  void oneMebibyteEchoStreamsBothWaysAtOnce() throws Exception {
    byte[] body = new byte[MIB];
    new Random(2).nextBytes(body);
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      byte[] head = ("POST /echo/mib HTTP/1.1\r\nHost: " + tunnel.host() + "\r\nContent-Length: " + MIB
          + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      connection.send(head);
      // The echo answers while the body is still coming: send from another thread, read here.
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
        try {
          connection.send(body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      StreamingResponse response = connection.readStreamingResponse("POST");
      Sha256.Result echoed = Sha256.of(response.body());

      Await.get(sent, Duration.ofSeconds(20), "sending the body");
      assertThat(response.status()).isEqualTo(200);
      assertThat(echoed).isEqualTo(new Sha256.Result(Sha256.hex(body), MIB));
    }
  }

  @Test
  void chunkedRequestBodyArrivesIntact() throws Exception {
    List<String> pieces = List.of("alpha\n", "x".repeat(100_000), "\u00e9t\u00e9\n", "omega\n");
    byte[] whole = String.join("", pieces).getBytes(StandardCharsets.UTF_8);

    RawResponse response = send(RawRequest.of("POST", "/sha256?chunked").chunkedBody(pieces.toArray(String[]::new)));

    assertThat(response.bodyText()).isEqualTo(digestJson(Sha256.hex(whole), whole.length));
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), "/sha256?chunked");
    assertThat(seen.bodyComplete()).isTrue();
    assertThat(seen.bodyLength()).isEqualTo(whole.length);
    assertThat(seen.bodySha256()).isEqualTo(Sha256.hex(whole));
  }

  @Test
  void manyExchangesShareOneVisitorConnection() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      for (int i = 0; i < 60; i++) {
        RawResponse response;
        if (i % 2 == 0) {
          int length = i * 1000;
          response = connection.exchange(RawRequest.get("/bytes/" + length).host(tunnel.host()));
          assertThat(Sha256.hex(response.body())).as("download %d", i).isEqualTo(BytePattern.sha256Hex(length));
        } else {
          byte[] body = ("upload " + i).getBytes(StandardCharsets.UTF_8);
          response = connection.exchange(RawRequest.of("POST", "/sha256?keepalive=" + i).host(tunnel.host())
              .body(body));
          assertThat(response.bodyText()).as("upload %d", i).isEqualTo(digestJson(Sha256.hex(body), body.length));
        }
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Connection")).as("exchange %d", i).isNotEqualToIgnoringCase("close");
      }
    }
  }

  @Test
  void localConnectionsAreReusedAcrossExchanges() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      for (int i = 0; i < 20; i++) {
        assertThat(connection.exchange(RawRequest.get("/reuse/" + i).host(tunnel.host())).status())
            .isEqualTo(200);
      }
    }

    long distinct = java.util.stream.IntStream.range(0, 20)
        .mapToLong(i -> OriginRequests.take(tunnel.origin(), "/reuse/" + i).connectionId()).distinct().count();
    assertThat(distinct).as("origin connections used by 20 sequential exchanges").isLessThanOrEqualTo(2);
  }
}
