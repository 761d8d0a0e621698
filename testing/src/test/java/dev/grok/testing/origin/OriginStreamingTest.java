package dev.grok.testing.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.StreamingResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bodies far larger than the origin could hold: they only pass if every hop streams with backpressure. */
@ExtendWith(LeakDetection.class)
class OriginStreamingTest {
  private static final long ONE_GIB = 1L << 30;
  private static final long ECHO_BYTES = 256L << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private LocalHttpOrigin origin;
  private HttpClient client;

  @BeforeEach
  void start() {
    origin = LocalHttpOrigin.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    client.close();
    origin.close();
  }

  @Test
  void bytesStreamsOneGibibyteMatchingTheChecksumHelper() throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(origin.url("/bytes/" + ONE_GIB))).build(),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(ONE_GIB);
    try (InputStream body = response.body()) {
      Sha256.Result received = Sha256.of(body);
      assertThat(received.length()).isEqualTo(ONE_GIB);
      assertThat(received.hex()).isEqualTo(BytePattern.sha256Hex(ONE_GIB));
    }
  }

  @Test
  void bytesOfOddLengthMatchThePattern() throws Exception {
    int length = 3 * BytePattern.BLOCK_BYTES + 17;
    HttpResponse<byte[]> response = client.send(
        HttpRequest.newBuilder(URI.create(origin.url("/bytes/" + length))).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.body()).isEqualTo(BytePattern.bytes(length));
    assertThat(Sha256.hex(response.body())).isEqualTo(BytePattern.sha256Hex(length));
  }

  @Test
  void echoStreamsALargeBodyBackWithoutHoldingIt() throws Exception {
    // Full duplex: the origin echoes while the upload goes on, so the upload runs on its own thread.
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          connection.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + ECHO_BYTES + "\r\n\r\n");
          connection.send(BytePattern.inputStream(ECHO_BYTES));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      StreamingResponse response = connection.readStreamingResponse("POST");
      Sha256.Result echoed = Sha256.of(response.body());
      upload.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(response.chunked()).isTrue();
      assertThat(echoed.length()).isEqualTo(ECHO_BYTES);
      assertThat(echoed.hex()).isEqualTo(BytePattern.sha256Hex(ECHO_BYTES));
    }
    RecordedRequest recorded = origin.takeRequest(TIMEOUT);
    assertThat(recorded.bodyLength()).isEqualTo(ECHO_BYTES);
    assertThat(recorded.bodySha256()).isEqualTo(BytePattern.sha256Hex(ECHO_BYTES));
  }

  @Test
  void sha256DigestsAStreamedUpload() throws Exception {
    long length = 64L << 20;
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(origin.url("/sha256")))
            .POST(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> BytePattern.inputStream(length)), length))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body())
        .isEqualTo("{\"sha256\":\"" + BytePattern.sha256Hex(length) + "\",\"length\":" + length + "}");
  }
}
