package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.client.RecordingListener;
import dev.grok.testing.Await;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.StreamingResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.SlowStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server that stops gracefully lets exchanges in flight finish, and its clients wait for it to come back. */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ServerShutdownTest {
  private static final String NAME = "shutdown";
  private static final Duration GRACE = Duration.ofSeconds(10);

  /** Per test: every test stops its server. */
  @RegisterExtension
  final OneTunnel tunnel = OneTunnel.builder(NAME).shutdownGrace(GRACE).build();

  private boolean acceptsConnections() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tunnel.httpPort()), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void exchangeInFlightCompletesDuringGracefulClose() throws Exception {
    try (RawHttpConnection visitor = RawHttp.connect(tunnel.httpPort())) {
      visitor.send(RawRequest.get("/slow?chunks=3&gate=true").host(tunnel.host()));
      SlowStream slow = tunnel.origin().takeSlowStream(Duration.ofSeconds(10));
      StreamingResponse response = visitor.readStreamingResponse("GET");
      slow.releaseNext();
      byte[] first = response.body().readNBytes(SlowStream.chunkText(0).length());

      CompletableFuture<Void> closing = CompletableFuture.runAsync(tunnel.server()::close);
      await("the edge stops accepting").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> !acceptsConnections());
      assertThat(closing).as("close waits for the exchange in flight").isNotDone();
      slow.releaseAll();
      byte[] rest = response.body().readAllBytes();

      assertThat(response.status()).isEqualTo(200);
      assertThat(new String(first, StandardCharsets.US_ASCII) + new String(rest, StandardCharsets.US_ASCII))
          .isEqualTo(SlowStream.chunkText(0) + SlowStream.chunkText(1) + SlowStream.chunkText(2));
      Await.get(closing, GRACE.plusSeconds(5), "the server's close");
    }
  }

  @Test
  void clientKeepsRetryingWhenTheServerStops() {
    tunnel.server().close();

    RecordingListener.Event reconnecting = tunnel.client().listener().next("reconnecting", Duration.ofSeconds(10));
    assertThat(reconnecting.message()).isNotBlank();
    assertThat(tunnel.client().client().terminated()).as("a network failure is not fatal").isNotDone();
  }
}
