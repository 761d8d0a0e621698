package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.SlowStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The response timeout bounds the wait for response headers, never the length of a response once it started. */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ResponseTimeoutTest {
  private static final String NAME = "timeouts";
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).responseTimeout(RESPONSE_TIMEOUT).build();

  @Test
  void edgeAnswers504WhenLocalServiceSendsNoHeadersInTime() throws Exception {
    long start = System.nanoTime();
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/stall/timeout").host(tunnel.host()));
    long elapsedMillis = Await.millisSince(start);

    assertThat(response.status()).isEqualTo(504);
    assertThat(response.header("X-Grok-Error")).isEqualTo("504");
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(RESPONSE_TIMEOUT.toMillis() - 50).isLessThan(10_000);
  }

  @Test
  void responseLastingLongerThanTheTimeoutIsNotCut() throws Exception {
    // Chunk 0 goes with the head, then one every 500 ms: 2.5 s in all, more than twice the timeout.
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      long start = System.nanoTime();
      RawResponse response = connection.exchange(RawRequest.get("/slow?chunks=6&delayMs=500")
          .host(tunnel.host()));
      long elapsedMillis = Await.millisSince(start);

      assertThat(response.status()).isEqualTo(200);
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        expected.append(SlowStream.chunkText(i));
      }
      assertThat(response.bodyText()).isEqualTo(expected.toString());
      assertThat(elapsedMillis).isGreaterThan(2 * RESPONSE_TIMEOUT.toMillis());
    }
  }
}
