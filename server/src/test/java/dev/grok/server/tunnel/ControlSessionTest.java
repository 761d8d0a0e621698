package dev.grok.server.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.compress.CompressionMode;
import dev.grok.protocol.v1.Compression;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.Hello;
import dev.grok.protocol.v1.OpenTunnel;
import dev.grok.protocol.v1.RejectReason;
import dev.grok.protocol.v1.TunnelKind;
import dev.grok.server.registry.RecordingOwner;
import dev.grok.server.registry.TcpListeners;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelOwner;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.stream.RecordingExchange;
import dev.grok.server.stream.RecordingServerCall;
import io.grpc.Status;
import io.netty.channel.DefaultEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control protocol of one session without a network: a recorded control call, a real registry. */
class ControlSessionTest {
  private final TunnelRegistry registry = new TunnelRegistry(10);
  private final FakeTcpListeners tcp = new FakeTcpListeners();
  private final RecordingServerCall<ControlEvent> call = new RecordingServerCall<>();
  private final List<ControlSession> closed = new ArrayList<>();
  private final ControlSession session = new ControlSession("s1", "token1", "alice", call,
      new SessionContext(registry, tcp, "http://%s.localhost:8080", 2, 45_000), closed::add);
  private final DefaultEventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stopLoop() {
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** TCP ports bound by hand: each open waits until the test completes it. */
  private final class FakeTcpListeners implements TcpListeners {
    final List<CompletableFuture<Tunnel>> opening = new ArrayList<>();
    final List<Integer> requestedPorts = new ArrayList<>();
    final List<Tunnel> released = new ArrayList<>();

    @Override
    public CompletableFuture<Tunnel> open(int requestedPort, int tunnelId, String user, TunnelOwner owner) {
      CompletableFuture<Tunnel> f = new CompletableFuture<>();
      opening.add(f);
      requestedPorts.add(requestedPort);
      return f;
    }

    /** The port is bound: registers it as the TCP edge does and completes the oldest open. */
    Tunnel bind(int port, int tunnelId) throws Exception {
      Tunnel t = registry.registerPort(port, tunnelId, "alice", session);
      opening.removeFirst().complete(t);
      return t;
    }

    @Override
    public void release(Tunnel tunnel) {
      released.add(tunnel);
    }

    @Override
    public String publicUrl(int port) {
      return "tcp://localhost:" + port;
    }
  }

  private void hello() {
    session.onNext(ControlRequest.newBuilder().setHello(Hello.newBuilder().setClientVersion("test")).build());
  }

  private void open(OpenTunnel.Builder open) {
    session.onNext(ControlRequest.newBuilder().setOpenTunnel(open).build());
  }

  private List<ControlEvent> events(ControlEvent.KindCase kind) {
    return call.sent.stream().filter(e -> e.getKindCase() == kind).toList();
  }

  @Test
  void welcomeTellsTheResponseTimeoutAndTheStreamConnections() {
    hello();
    assertThat(call.sent).singleElement().satisfies(e -> {
      assertThat(e.getWelcome().getResponseTimeoutMillis()).isEqualTo(45_000);
      assertThat(e.getWelcome().getStreamConnections()).isEqualTo(2);
      assertThat(e.getWelcome().getSessionId()).isEqualTo("s1");
    });
  }

  @Test
  void httpTunnelCarriesItsOwnerPoolAndCompression() {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.HTTP).setSubdomain("demo")
        .setCompression(Compression.COMPRESSION_GZIP));

    assertThat(events(ControlEvent.KindCase.TUNNEL_OPENED)).singleElement().satisfies(e -> {
      assertThat(e.getTunnelOpened().getPublicUrl()).isEqualTo("http://demo.localhost:8080");
      assertThat(e.getTunnelOpened().getSubdomain()).isEqualTo("demo");
    });
    Tunnel t = registry.lookup("demo");
    assertThat(t.owner()).isSameAs(session);
    assertThat(t.streams()).isSameAs(session.streams());
    assertThat(t.compression().mode()).isEqualTo(CompressionMode.GZIP);
  }

  @Test
  void tcpTunnelIsAnnouncedOnceItsPortIsBound() throws Exception {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.TCP).setRemotePort(10001));
    assertThat(events(ControlEvent.KindCase.TUNNEL_OPENED)).isEmpty();

    Tunnel t = tcp.bind(10001, 1);
    assertThat(events(ControlEvent.KindCase.TUNNEL_OPENED)).singleElement().satisfies(e -> {
      assertThat(e.getTunnelOpened().getPublicUrl()).isEqualTo("tcp://localhost:10001");
      assertThat(e.getTunnelOpened().getRemotePort()).isEqualTo(10001);
    });
    assertThat(session.tunnels()).containsExactly(t);
    assertThat(t.compression().mode()).isEqualTo(CompressionMode.NONE);
  }

  @Test
  void tunnelRegisteredAfterTheSessionEndedIsUnregisteredAndForgotten() throws Exception {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.TCP));
    session.close(null, "client gone while the port was being bound");

    Tunnel t = tcp.bind(10001, 1);
    assertThat(registry.lookupPort(10001)).as("not routed to a dead session").isNull();
    assertThat(tcp.released).containsExactly(t);
    assertThat(session.tunnels()).as("the session holds no dead tunnel").isEmpty();
    assertThat(events(ControlEvent.KindCase.TUNNEL_OPENED)).isEmpty();
  }

  @Test
  void httpTunnelRegisteredAsTheSessionEndsIsUnregisteredAndForgotten() throws Exception {
    hello();
    // The name is live for an older session of the same user; the takeover's callback runs inside register(),
    // and there the session ends (as if the client dropped at that moment): HTTP takes the same path as TCP.
    RecordingOwner older = new RecordingOwner() {
      @Override
      public void onTunnelEvicted(Tunnel tunnel, String reason) {
        super.onTunnelEvicted(tunnel, reason);
        session.close(null, "client gone while the name was being registered");
      }
    };
    registry.register("demo", 7, "alice", older);
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.HTTP).setSubdomain("demo"));

    assertThat(older.evicted).hasSize(1);
    assertThat(registry.lookup("demo")).as("not routed to a dead session").isNull();
    assertThat(session.tunnels()).as("the session holds no dead tunnel").isEmpty();
    assertThat(events(ControlEvent.KindCase.TUNNEL_OPENED)).isEmpty();
  }

  @Test
  void reusedTunnelIdReplacesTheOlderTunnel() {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.HTTP).setSubdomain("first"));
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.HTTP).setSubdomain("second"));
    assertThat(registry.lookup("first")).isNull();
    assertThat(session.tunnels()).singleElement().extracting(Tunnel::name).isEqualTo("second");
  }

  @Test
  void unsupportedKindAndBadBasicAuthAreRejectedWithReasons() {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.TUNNEL_KIND_UNSPECIFIED));
    open(OpenTunnel.newBuilder().setTunnelId(2).setKind(TunnelKind.HTTP).setBasicAuth("no-colon"));
    assertThat(events(ControlEvent.KindCase.TUNNEL_REJECTED)).hasSize(2).allSatisfy(e ->
        assertThat(e.getTunnelRejected().getReason()).isEqualTo(RejectReason.UNSUPPORTED));
    assertThat(registry.size()).isZero();
  }

  @Test
  void waitingExchangeMakesTheSessionAskForStreams() {
    hello();
    session.streams().acquire(new RecordingExchange(loop));
    assertThat(events(ControlEvent.KindCase.STREAM_DEMAND)).singleElement()
        .satisfies(e -> assertThat(e.getStreamDemand().getStreams()).isPositive());
  }

  @Test
  void stoppedTunnelStopsRoutingAndTellsTheClient() {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.HTTP).setSubdomain("demo"));
    Tunnel t = registry.lookup("demo");

    assertThat(t.stop("stopped by administrator 'root'")).isTrue();
    assertThat(t.stop("again")).isFalse();
    assertThat(registry.lookup("demo")).isNull();
    assertThat(events(ControlEvent.KindCase.TUNNEL_CLOSED)).singleElement()
        .satisfies(e -> assertThat(e.getTunnelClosed().getStopped()).isTrue());
  }

  @Test
  void closeUnregistersEveryTunnelAndClosesThePoolOnce() throws Exception {
    hello();
    open(OpenTunnel.newBuilder().setTunnelId(1).setKind(TunnelKind.HTTP).setSubdomain("demo"));
    open(OpenTunnel.newBuilder().setTunnelId(2).setKind(TunnelKind.TCP));
    Tunnel tcpTunnel = tcp.bind(10002, 2);

    session.close(Status.UNAVAILABLE.withDescription("bye"), "test");
    session.close(Status.UNAVAILABLE, "twice");
    assertThat(registry.size()).isZero();
    assertThat(tcp.released).containsExactly(tcpTunnel);
    assertThat(session.streams().isClosed()).isTrue();
    assertThat(session.state()).isEqualTo(ControlSession.State.CLOSED);
    assertThat(closed).containsExactly(session);
    assertThat(call.ended()).startsWith("error: Status{code=UNAVAILABLE");
  }
}
