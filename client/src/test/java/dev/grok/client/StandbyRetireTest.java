package dev.grok.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.StreamDemand;
import dev.grok.testing.Await;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Above MAX_IDLE idle streams, a stream that finishes its exchange asks the server to end it (Retire) instead of
 * staying in the pool; a request head the server sent before it saw the Retire is still served.
 */
class StandbyRetireTest extends ClientTestBase {

  @Test
  void streamFinishingWhileSixtyFourAreIdleIsRetired() throws Exception {
    startReadyClient();
    tunnel.nextSession(WAIT).send(ControlEvent.newBuilder()
        .setStreamDemand(StreamDemand.newBuilder().setStreams(60)).build());
    List<FakeStream> streams = new ArrayList<>();
    for (int i = 0; i < 76; i++) {
      streams.add(tunnel.nextStream(WAIT));
    }

    FakeStream used = streams.getFirst();
    used.sendRequest("GET", "/", List.of(), null);
    assertThat(used.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);

    assertThat(Await.get(used.ended, WAIT, "retirement of the stream")).isEqualTo("retired");
    assertThat(streams.get(1).ended).isNotDone();
  }

  @Test
  void requestSentBeforeTheServerSawTheRetireIsServedNotRefused() throws Exception {
    startReadyClient();
    tunnel.nextSession(WAIT).send(ControlEvent.newBuilder()
        .setStreamDemand(StreamDemand.newBuilder().setStreams(60)).build());
    List<FakeStream> streams = new ArrayList<>();
    for (int i = 0; i < 76; i++) {
      streams.add(tunnel.nextStream(WAIT));
    }
    FakeStream used = streams.getFirst();
    used.honourRetire = false; // the server has just taken this stream for another exchange
    used.sendRequest("GET", "/first", List.of(), null);
    assertThat(used.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    Await.poll(used.retires, WAIT, "the first Retire");

    used.sendRequest("GET", "/second", List.of(), null);

    assertThat(used.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    Await.poll(used.retires, WAIT, "a Retire after the second exchange");
    assertThat(used.ended).isNotDone();
  }

  @Test
  void afterAPeakOfHundredConcurrentExchangesTheirStreamsStayInThePool() throws Exception {
    int n = 100;
    origin.responder = RecordingOrigin.echoOnceAllArrived(n); // a hundred streams busy at once
    startReadyClient();
    List<FakeStream> streams = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeStream s = tunnel.nextStream(WAIT); // the client opens more as streams turn busy
      streams.add(s);
      s.sendRequest("GET", "/first/" + i, List.of(), null);
    }
    for (FakeStream s : streams) {
      assertThat(s.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    }
    origin.responder = RecordingOrigin.ECHO;

    // More than MAX_IDLE (64) are idle now, but that many ran at once: a steady load of this size must not
    // retire streams (each retired one would cost the next request a StreamDemand round trip).
    for (int i = 0; i < n; i++) {
      streams.get(i).sendRequest("GET", "/second/" + i, List.of(), null);
    }
    for (FakeStream s : streams) {
      assertThat(s.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
      assertThat(s.retires).as("Retire frames").isEmpty();
      assertThat(s.ended).isNotDone();
    }
  }

  @Test
  void streamFinishingWithFewIdleStaysInThePool() throws Exception {
    startReadyClient();
    FakeStream used = tunnel.nextStream(WAIT);
    used.sendRequest("GET", "/", List.of(), null);
    used.awaitResponse(WAIT);
    used.sendRequest("GET", "/again", List.of(), null);
    assertThat(used.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    assertThat(used.ended).isNotDone();
  }
}
