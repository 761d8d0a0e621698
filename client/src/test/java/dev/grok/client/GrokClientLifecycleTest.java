package dev.grok.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Starting and stopping: close is quick and idempotent, also from a listener callback or while reconnecting. */
class GrokClientLifecycleTest extends ClientTestBase {

  @Test
  void closeTwiceIsHarmless() throws Exception {
    startReadyClient();
    client.close();
    client.close();
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isZero();
  }

  @Test
  void closeFromTheListenerReturnsAtOnceAndTerminates() throws Exception {
    AtomicReference<GrokClient> self = new AtomicReference<>();
    RecordingListener closing = new RecordingListener() {
      @Override
      public void onReady(String publicUrl, String localUrl) {
        super.onReady(publicUrl, localUrl);
        self.get().close(); // on the client's own event loop: must not wait for itself
      }
    };
    listener = closing;
    GrokClient c = startClient(FakeTunnelServer.TOKEN, "demo", null, origin.port());
    self.set(c);

    assertThat(Await.get(c.terminated(), WAIT, "termination")).isZero();
  }

  @Test
  void closeWhileReconnectingStopsAtOnce() throws Exception {
    tunnel.stop();
    startClient(FakeTunnelServer.TOKEN, "demo", null, origin.port());
    assertThat(listener.next(WAIT).type()).isEqualTo("reconnecting");

    long start = System.nanoTime();
    client.close();
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void networkFailuresAreRetriedWithGrowingDelays() throws Exception {
    tunnel.stop();
    startClient(FakeTunnelServer.TOKEN, "demo", null, origin.port());
    for (int i = 0; i < 4; i++) {
      RecordingListener.Event e = listener.next(Duration.ofSeconds(10));
      assertThat(e.type()).isEqualTo("reconnecting");
      assertThat(e.delay()).isLessThanOrEqualTo(Duration.ofMillis(250L << i));
      assertThat(e.message()).contains("cannot reach the server");
    }
    assertThat(client.terminated()).isNotDone();
  }

  @Test
  void closeAfterAFatalErrorIsHarmless() throws Exception {
    startClient("wrong", "demo", null, origin.port());
    assertThat(listener.next(WAIT).exitCode()).isEqualTo(3);
    client.close();
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isEqualTo(3);
  }
}
