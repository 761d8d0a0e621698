package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.client.RecordingListener;
import dev.grok.testing.Await;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops, dies or comes back: pending visitors get 502 at once, the URL answers 404 soon after a
 * clean stop, and a restarted client of the same user gets its name back, even while the server still holds the
 * old session. One server and origin for the class, a fresh client (and name) per test.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ClientLifecycleTest {
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().build();
  static ExecutorService threads;

  @BeforeAll
  static void startThreads() {
    threads = Executors.newVirtualThreadPerTaskExecutor();
    tunnel.closing(threads::shutdownNow);
  }

  private static int statusOf(String name, String path) throws IOException {
    return RawHttp.exchange(tunnel.httpPort(), RawRequest.get(path).host(tunnel.host(name))).status();
  }

  @Test
  void edgeAnswers502AtOnceWhenClientStopsMidRequest() throws Exception {
    String name = "gone-mid";
    TestClient client = TestClient.ready(tunnel.clientConfig(name));
    try (RawHttpConnection visitor = RawHttp.connect(tunnel.httpPort())) {
      visitor.send(RawRequest.get("/stall/gone").host(tunnel.host(name)));
      Future<RawResponse> answer = threads.submit(() -> visitor.readResponse());
      OriginRequests.take(tunnel.origin(), "/stall/gone");

      long start = System.nanoTime();
      client.close();
      RawResponse response = Await.get(answer, Duration.ofSeconds(10), "the visitor's answer");
      long elapsedMillis = Await.millisSince(start);

      assertThat(response.status()).isEqualTo(502);
      assertThat(elapsedMillis).as("milliseconds from the client's stop to the 502").isLessThan(2_000);
    } finally {
      client.close();
    }
  }

  @Test
  void olderLiveClientStopsWhenANewerOneOfTheSameUserTakesItsName() throws Exception {
    String name = "two-live";
    try (TestClient older = TestClient.ready(tunnel.clientConfig(name));
         TestClient newer = TestClient.ready(tunnel.clientConfig(name))) {
      RecordingListener.Event fatal = older.awaitFatal(Duration.ofSeconds(10));
      assertThat(fatal.exitCode()).isEqualTo(4);
      assertThat(fatal.message()).containsIgnoringCase("already taken");
      assertThat(older.awaitTerminated(Duration.ofSeconds(10))).isEqualTo(4);
      assertThat(statusOf(name, "/two-live/after")).isEqualTo(200);
      assertThat(newer.client().terminated()).isNotDone();
    }
  }

  @Test
  void restartedClientServesTheSameUrl() throws Exception {
    String name = "restart";
    String firstUrl;
    try (TestClient first = TestClient.ready(tunnel.clientConfig(name))) {
      firstUrl = first.publicUrl();
      assertThat(statusOf(name, "/restart/before")).isEqualTo(200);
    }

    try (TestClient second = TestClient.ready(tunnel.clientConfig(name))) {
      assertThat(second.publicUrl()).isEqualTo(firstUrl).isEqualTo(tunnel.server().publicUrl(name));
      assertThat(statusOf(name, "/restart/after")).isEqualTo(200);
      OriginRequests.take(tunnel.origin(), "/restart/after");
    }
  }

  @Test
  void sameUserTakesOverANameStillHeldByADroppedSession() throws Exception {
    String name = "takeover";
    try (LocalHttpOrigin newOrigin = LocalHttpOrigin.start();
        BlackholeRelay network = new BlackholeRelay(tunnel.server().tunnelPort());
        TestClient old = TestClient.startVia(network.port(), tunnel.server().adminToken(), name,
            tunnel.origin().hostAndPort())) {
      old.awaitReady();
      // The old client's network vanishes: the server does not notice for three heartbeat periods.
      network.blackhole();
      assertThat(tunnel.server().server().registry().lookup(name)).as("the dropped session still holds the name")
          .isNotNull();

      try (TestClient restarted = TestClient.start(tunnel.server(), tunnel.server().adminToken(), name,
          newOrigin.hostAndPort())) {
        long start = System.nanoTime();
        restarted.awaitReady(Duration.ofSeconds(10));
        long elapsedMillis = Await.millisSince(start);

        assertThat(restarted.publicUrl()).isEqualTo(old.publicUrl());
        assertThat(elapsedMillis).as("milliseconds until the name came back").isLessThan(5_000);
        assertThat(statusOf(name, "/takeover/after")).isEqualTo(200);
        assertThat(newOrigin.takeRequest(Duration.ofSeconds(5)).uri()).isEqualTo("/takeover/after");
      }
    }
  }

  @Test
  void closedClientsUrlAnswers404WithinTwoSeconds() throws Exception {
    String name = "closing";
    TestClient client = TestClient.ready(tunnel.clientConfig(name));
    assertThat(statusOf(name, "/closing/before")).isEqualTo(200);

    long start = System.nanoTime();
    client.close();
    Duration left = Duration.ofMillis(Math.max(1, 2_000 - Await.millisSince(start)));
    await("404 within 2 s of the client's stop").atMost(left).pollInterval(Duration.ofMillis(20))
        .until(() -> statusOf(name, "/closing/after") == 404);
  }
}
