package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.server.ServerConfig;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.StreamingResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.SlowStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A server that stops gracefully lets exchanges in flight finish, and its clients wait for it to come back. */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ServerShutdownTest {
  private static final String NAME = "shutdown";
  private static final Duration GRACE = Duration.ofSeconds(10);

  @TempDir
  Path dataDir;
  TestServer server;
  LocalHttpOrigin origin;
  TestClient client;

  @BeforeEach
  void start() {
    server = TestServer.start(TestServer.withShutdownGrace(ServerConfig.forTests(dataDir), GRACE));
    origin = LocalHttpOrigin.start();
    client = TestClient.ready(server, server.adminToken(), NAME, origin.hostAndPort());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private boolean acceptsConnections() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.httpPort()), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void exchangeInFlightCompletesDuringGracefulClose() throws Exception {
    try (RawHttpConnection visitor = RawHttp.connect(server.httpPort())) {
      visitor.send(RawRequest.get("/slow?chunks=3&gate=true").host(server.host(NAME)));
      SlowStream slow = origin.takeSlowStream(Duration.ofSeconds(10));
      StreamingResponse response = visitor.readStreamingResponse("GET");
      slow.releaseNext();
      byte[] first = response.body().readNBytes(SlowStream.chunkText(0).length());

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
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
    server.close();

    RecordingListener.Event reconnecting = client.listener().next("reconnecting", Duration.ofSeconds(10));
    assertThat(reconnecting.message()).isNotBlank();
    assertThat(client.client().terminated()).as("a network failure is not fatal").isNotDone();
  }
}
