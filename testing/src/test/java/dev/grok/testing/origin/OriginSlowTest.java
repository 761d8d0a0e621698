package dev.grok.testing.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
class OriginSlowTest {
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
  void gatedStreamSendsEachChunkOnlyWhenReleased() throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(origin.url("/slow?chunks=3&gate=true"))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    SlowStream stream = origin.takeSlowStream(TIMEOUT);
    assertThat(stream.chunksSent()).isZero();

    try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      stream.releaseNext();
      assertThat(body.readLine()).isEqualTo("chunk-0");
      assertThat(stream.isChunkSent(2)).isFalse();
      stream.releaseNext();
      assertThat(body.readLine()).isEqualTo("chunk-1");
      assertThat(stream.isChunkSent(2)).isFalse();
      stream.releaseAll();
      assertThat(body.readLine()).isEqualTo("chunk-2");
      assertThat(body.readLine()).isNull();
    }
    stream.awaitFinished(TIMEOUT);
    assertThat(stream.chunksSent()).isEqualTo(3);
  }

  @Test
  void timedStreamSendsEveryChunkAndReportsThem() throws Exception {
    RawResponse response = RawHttp.exchange(origin.port(), RawRequest.get("/slow?chunks=4&delayMs=5").host("h"));

    assertThat(response.chunked()).isTrue();
    assertThat(response.bodyText()).isEqualTo("chunk-0\nchunk-1\nchunk-2\nchunk-3\n");
    SlowStream stream = origin.takeSlowStream(TIMEOUT);
    stream.awaitChunkSent(3, TIMEOUT);
    stream.awaitFinished(TIMEOUT);
    assertThat(stream.isGated()).isFalse();
  }

  @Test
  void firstTimedChunkArrivesBeforeTheLastIsSent() throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(origin.url("/slow?chunks=3&delayMs=60000"))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    SlowStream stream = origin.takeSlowStream(TIMEOUT);

    try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(body.readLine()).isEqualTo("chunk-0");
      assertThat(stream.isChunkSent(2)).isFalse();
    }
  }
}
