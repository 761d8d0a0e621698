package dev.grok.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.GoingAway;
import dev.grok.protocol.v1.RejectReason;
import dev.grok.protocol.v1.StreamDemand;
import dev.grok.protocol.v1.TunnelKind;
import dev.grok.testing.Await;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The control session: registration, fatal failures, reconnects and close. */
class ControlSessionTest extends ClientTestBase {

  @Test
  void readyEventCarriesThePublicUrl() throws Exception {
    startClient(FakeTunnelServer.TOKEN, "demo", null, origin.port());

    RecordingListener.Event ready = listener.next(WAIT);
    assertThat(ready.type()).isEqualTo("ready");
    assertThat(ready.publicUrl()).isEqualTo("http://demo.grok.test:8080");
    assertThat(ready.localUrl()).isEqualTo("http://127.0.0.1:" + origin.port());

    FakeControl control = tunnel.nextSession(WAIT);
    ControlRequest hello = control.next(ControlRequest.KindCase.HELLO, WAIT);
    assertThat(hello.getHello().getStandbyStreams()).isEqualTo(16);
    ControlRequest open = control.next(ControlRequest.KindCase.OPEN_TUNNEL, WAIT);
    assertThat(open.getOpenTunnel().getKind()).isEqualTo(TunnelKind.HTTP);
    assertThat(open.getOpenTunnel().getSubdomain()).isEqualTo("demo");
    assertThat(open.getOpenTunnel().getLocalUrl()).isEqualTo("http://127.0.0.1:" + origin.port());
  }

  @Test
  void standbyStreamsCarryTheSessionId() throws Exception {
    startReadyClient();
    FakeControl control = tunnel.nextSession(WAIT);
    for (int i = 0; i < 16; i++) {
      assertThat(tunnel.nextStream(WAIT).sessionId).isEqualTo(control.id);
    }
  }

  @Test
  void badTokenIsFatalWithExitCode3() throws Exception {
    startClient("wrong-token", "demo", null, origin.port());

    RecordingListener.Event fatal = listener.next(WAIT);
    assertThat(fatal.type()).isEqualTo("fatal");
    assertThat(fatal.exitCode()).isEqualTo(3);
    assertThat(fatal.message()).containsIgnoringCase("invalid token");
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isEqualTo(3);
  }

  @Test
  void revokedTokenIsFatalWithExitCode3() throws Exception {
    startReadyClient();
    tunnel.nextSession(WAIT).send(ControlEvent.newBuilder().setGoingAway(GoingAway.newBuilder()
        .setReason(GoingAway.Reason.TOKEN_REVOKED).setMessage("revoked by admin")).build());

    RecordingListener.Event fatal = listener.next(WAIT);
    assertThat(fatal.exitCode()).isEqualTo(3);
    assertThat(fatal.message()).containsIgnoringCase("invalid token");
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isEqualTo(3);
  }

  @Test
  void subdomainAlreadyTakenIsFatalWithExitCode4() throws Exception {
    tunnel.rejectWith = RejectReason.ALREADY_TAKEN;
    tunnel.rejectMessage = "subdomain demo is already taken";
    startClient(FakeTunnelServer.TOKEN, "demo", null, origin.port());

    RecordingListener.Event fatal = listener.next(WAIT);
    assertThat(fatal.type()).isEqualTo("fatal");
    assertThat(fatal.exitCode()).isEqualTo(4);
    assertThat(fatal.message()).contains("already taken");
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isEqualTo(4);
  }

  @Test
  void unauthenticatedAfterReadyIsFatalWithExitCode3() throws Exception {
    startReadyClient();
    tunnel.nextSession(WAIT).fail(Status.UNAUTHENTICATED.withDescription("invalid token: revoked"));

    RecordingListener.Event fatal = listener.next(WAIT);
    assertThat(fatal.exitCode()).isEqualTo(3);
    assertThat(fatal.message()).isEqualTo("invalid token: revoked");
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource({"INVALID_SUBDOMAIN, invalid subdomain: www is reserved", "LIMIT_REACHED, tunnel limit of 10 reached",
      "UNSUPPORTED, tunnel kind not offered"})
  void otherRejectionsAreFatalWithExitCode4(RejectReason reason, String message) throws Exception {
    tunnel.rejectWith = reason;
    tunnel.rejectMessage = message;
    startClient(FakeTunnelServer.TOKEN, "www", null, origin.port());

    RecordingListener.Event fatal = listener.next(WAIT);
    assertThat(fatal.exitCode()).isEqualTo(4);
    assertThat(fatal.message()).isEqualTo(message);
  }

  @Test
  void randomNameTakenWhileAwayIsReplacedByANewRandomName() throws Exception {
    startClient(FakeTunnelServer.TOKEN, null, null, origin.port());
    assertThat(listener.next(WAIT).publicUrl()).isEqualTo("http://rnd0x7q2k." + FakeTunnelServer.DOMAIN);
    tunnel.takenNames = java.util.Set.of("rnd0x7q2k");
    tunnel.randomName = "fresh1234";

    tunnel.nextSession(WAIT).send(FakeTunnelServer.tunnelClosed("admin closed it"));

    assertThat(listener.next("ready", WAIT).publicUrl()).isEqualTo("http://fresh1234." + FakeTunnelServer.DOMAIN);
    FakeControl second = tunnel.nextSession(WAIT);
    assertThat(second.next(ControlRequest.KindCase.OPEN_TUNNEL, WAIT).getOpenTunnel().getSubdomain())
        .isEqualTo("rnd0x7q2k");
    assertThat(second.next(ControlRequest.KindCase.OPEN_TUNNEL, WAIT).getOpenTunnel().getSubdomain()).isEmpty();
  }

  @Test
  void requestedNameTakenIsFatalEvenAfterAReconnect() throws Exception {
    startReadyClient();
    tunnel.takenNames = java.util.Set.of("demo");
    tunnel.nextSession(WAIT).send(FakeTunnelServer.tunnelClosed("taken over"));

    assertThat(listener.next(WAIT).type()).isEqualTo("reconnecting");
    RecordingListener.Event fatal = listener.next(WAIT);
    assertThat(fatal.exitCode()).isEqualTo(4);
  }

  @Test
  void serverRestartReconnectsAndAsksForTheSameRandomName() throws Exception {
    startClient(FakeTunnelServer.TOKEN, null, null, origin.port());
    RecordingListener.Event first = listener.next(WAIT);
    assertThat(first.publicUrl()).isEqualTo("http://rnd0x7q2k." + FakeTunnelServer.DOMAIN);
    assertThat(tunnel.nextSession(WAIT).next(ControlRequest.KindCase.OPEN_TUNNEL, WAIT)
        .getOpenTunnel().getSubdomain()).isEmpty();

    tunnel.stop();
    RecordingListener.Event reconnecting = listener.next(WAIT);
    assertThat(reconnecting.type()).isEqualTo("reconnecting");
    assertThat(reconnecting.delay()).isLessThanOrEqualTo(Duration.ofMillis(250));
    tunnel.randomName = "another1";
    tunnel.restart();

    RecordingListener.Event ready = listener.next("ready", Duration.ofSeconds(10));
    assertThat(ready.publicUrl()).isEqualTo("http://rnd0x7q2k." + FakeTunnelServer.DOMAIN);
    assertThat(tunnel.nextSession(WAIT).next(ControlRequest.KindCase.OPEN_TUNNEL, WAIT)
        .getOpenTunnel().getSubdomain()).isEqualTo("rnd0x7q2k");
  }

  @Test
  void serverGoingAwayLetsTheExchangeInFlightFinishWhileReconnecting() throws Exception {
    List<Runnable> held = new CopyOnWriteArrayList<>();
    origin.responder = (req, ctx) -> held.add(() -> RecordingOrigin.ECHO.respond(req, ctx));
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/slow", List.of(), null);
    origin.nextRequest(WAIT);

    tunnel.nextSession(WAIT).send(ControlEvent.newBuilder().setGoingAway(GoingAway.newBuilder()
        .setReason(GoingAway.Reason.SHUTDOWN).setMessage("restarting")).build());
    assertThat(listener.next(WAIT).message()).isEqualTo("server going away: restarting");
    assertThat(listener.next("ready", WAIT).publicUrl()).isEqualTo("http://demo.grok.test:8080");

    held.forEach(Runnable::run); // the local response comes after the new session is up
    assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
  }

  @Test
  void tunnelClosedByTheServerReconnects() throws Exception {
    startReadyClient();
    tunnel.nextSession(WAIT).send(FakeTunnelServer.tunnelClosed("taken over by a newer session"));

    RecordingListener.Event reconnecting = listener.next(WAIT);
    assertThat(reconnecting.type()).isEqualTo("reconnecting");
    assertThat(reconnecting.message()).contains("taken over");
    assertThat(listener.next("ready", WAIT).publicUrl()).isEqualTo("http://demo.grok.test:8080");
  }

  @Test
  void silentServerIsDetectedByHeartbeats() throws Exception {
    tunnel.heartbeatIntervalMillis = 100;
    tunnel.echoHeartbeats = false;
    startReadyClient();

    RecordingListener.Event reconnecting = listener.next(WAIT);
    assertThat(reconnecting.type()).isEqualTo("reconnecting");
    assertThat(reconnecting.message()).contains("no heartbeat");
  }

  @Test
  void heartbeatsAreSentAndEchoesKeepTheSessionUp() throws Exception {
    tunnel.heartbeatIntervalMillis = 100;
    startReadyClient();
    FakeControl control = tunnel.nextSession(WAIT);
    for (int i = 0; i < 6; i++) {
      control.next(ControlRequest.KindCase.HEARTBEAT, WAIT);
    }
    listener.assertExhausted();
  }

  @Test
  void streamDemandOpensThatManyMoreStreams() throws Exception {
    startReadyClient();
    for (int i = 0; i < 16; i++) {
      tunnel.nextStream(WAIT);
    }
    tunnel.nextSession(WAIT).send(ControlEvent.newBuilder()
        .setStreamDemand(StreamDemand.newBuilder().setStreams(5)).build());
    for (int i = 0; i < 5; i++) {
      tunnel.nextStream(WAIT);
    }
    assertThat(tunnel.streams.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void closeEndsTheControlStreamWithinOneSecond() throws Exception {
    startReadyClient();
    FakeControl control = tunnel.nextSession(WAIT);
    FakeStream standby = tunnel.nextStream(WAIT);

    long start = System.nanoTime();
    client.close();
    String how = Await.get(control.ended, Duration.ofSeconds(1), "end of the control stream");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    assertThat(how).isEqualTo("half-closed");
    assertThat(control.received).anyMatch(ControlRequest::hasCloseTunnel);
    assertThat(Await.get(client.terminated(), WAIT, "termination")).isZero();
    Await.get(standby.ended, WAIT, "end of a standby stream");
  }
}
