package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.Hello;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.client.RecordingListener;
import dev.grok.server.ServerConfig;
import dev.grok.server.Throttles;
import dev.grok.server.metrics.Rejections;
import dev.grok.server.ratelimit.RateLimit;
import dev.grok.server.tunnel.guard.SessionStreamLimit;
import dev.grok.testing.leak.LeakDetection;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tunnel port's limits on a real server over loopback: a connection that never authenticates is closed at the
 * deadline, token guessing from one address is throttled (with a message the real client shows while it keeps
 * retrying) while another address still gets in, a session that opens streams without end is stopped at the cap,
 * and a client that pings too often is told to calm down.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class TunnelPortLimitsTest {
  /** Short, so the silent connection's test waits one second, not ten. */
  private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path dataDir;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.forTests(dataDir).withThrottles(
        new Throttles(RateLimit.UNLIMITED, AUTH_TIMEOUT, 1000, 10, Duration.ofMinutes(5))));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Rejections rejections() {
    return server.server().metrics().rejections();
  }

  /** A gRPC channel to the tunnel port from {@code localAddress} (127.0.0.x: any loopback address works on Linux). */
  private static ManagedChannel channelFrom(String localAddress) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.tunnelPort())
        .usePlaintext()
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
            return new InetSocketAddress(localAddress, 0);
          }
        })
        .build();
  }

  private static TunnelGrpc.TunnelStub stub(ManagedChannel channel, String token, String session) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    if (session != null) {
      md.put(Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER), session);
    }
    return TunnelGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  /** Opens a control stream and says Hello: the Welcome, or the status that ended the call. */
  private static Object control(TunnelGrpc.TunnelStub stub) throws InterruptedException {
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<ControlRequest> requests = stub.control(new StreamObserver<>() {
      @Override public void onNext(ControlEvent e) {
        answers.add(e);
      }

      @Override public void onError(Throwable t) {
        answers.add(Status.fromThrowable(t));
      }

      @Override public void onCompleted() {
        answers.add(Status.OK);
      }
    });
    requests.onNext(ControlRequest.newBuilder().setHello(Hello.newBuilder().setClientVersion("test")).build());
    Object answer = answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(answer).as("an answer to Hello").isNotNull();
    return answer;
  }

  @Test
  void aConnectionThatNeverSpeaksIsClosedAtTheAuthDeadline() throws Exception {
    double before = rejections().tunnelPortCount("auth_timeout");
    try (Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", server.tunnelPort()));
      silent.setSoTimeout((int) WAIT.toMillis());
      InputStream in = silent.getInputStream();
      long start = System.nanoTime();
      int read;
      try {
        // The server's HTTP/2 preface (SETTINGS) may come first; then the close.
        do {
          read = in.read(new byte[1024]);
        } while (read > 0);
      } catch (SocketException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(AUTH_TIMEOUT.minusMillis(100));
    }
    assertThat(rejections().tunnelPortCount("auth_timeout")).isEqualTo(before + 1);
  }

  @Test
  void tenInvalidTokensLockTheAddressOutWhileAnotherAddressStillConnects() throws Exception {
    ManagedChannel attacker = channelFrom("127.0.0.3");
    ManagedChannel honest = channelFrom("127.0.0.4");
    try {
      for (int i = 0; i < 10; i++) {
        Object answer = control(stub(attacker, "grok_guess" + i, null));
        assertThat(answer).isInstanceOf(Status.class);
        assertThat(((Status) answer).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(((Status) answer).getDescription()).contains("invalid token");
      }
      Object eleventh = control(stub(attacker, server.adminToken(), null));
      assertThat(eleventh).isInstanceOf(Status.class);
      assertThat(((Status) eleventh).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(((Status) eleventh).getDescription()).contains("too many failed attempts");
      assertThat(rejections().tunnelPortCount("auth_throttled")).isGreaterThanOrEqualTo(1);

      Object welcome = control(stub(honest, server.adminToken(), null));
      assertThat(welcome).isInstanceOf(ControlEvent.class);
      assertThat(((ControlEvent) welcome).hasWelcome()).isTrue();
    } finally {
      attacker.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      honest.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theRealClientShowsTheThrottleAndKeepsRetrying() throws Exception {
    // The real client connects from 127.0.0.1: lock that address out first.
    ManagedChannel guesser = channelFrom("127.0.0.1");
    try {
      for (int i = 0; i < 10; i++) {
        control(stub(guesser, "grok_wrong" + i, null));
      }
    } finally {
      guesser.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    try (TestClient client = TestClient.start(server, server.adminToken(), "throttled", "127.0.0.1:9")) {
      RecordingListener.Event first = client.listener().next("reconnecting", WAIT);
      assertThat(first.message()).contains("too many failed attempts");
      RecordingListener.Event second = client.listener().next("reconnecting", WAIT);
      assertThat(second.message()).contains("too many failed attempts");
      assertThat(client.client().terminated()).isNotDone();
    }
  }

  @Test
  void aSessionThatOpensStreamsWithoutEndIsStoppedAtTheCap() throws Exception {
    ManagedChannel channel = channelFrom("127.0.0.5");
    try {
      Object welcome = control(stub(channel, server.adminToken(), null));
      assertThat(welcome).isInstanceOf(ControlEvent.class);
      String session = ((ControlEvent) welcome).getWelcome().getSessionId();
      TunnelGrpc.TunnelStub exchanges = stub(channel, server.adminToken(), session);
      BlockingQueue<Status> ended = new LinkedBlockingQueue<>();
      List<StreamObserver<ClientFrame>> open = new ArrayList<>();
      for (int i = 0; i <= SessionStreamLimit.MAX_STREAMS_PER_SESSION; i++) {
        open.add(exchanges.exchange(new StreamObserver<ServerFrame>() {
          @Override public void onNext(ServerFrame f) {}

          @Override public void onError(Throwable t) {
            ended.add(Status.fromThrowable(t));
          }

          @Override public void onCompleted() {
            ended.add(Status.OK);
          }
        }));
      }
      Status first = ended.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(first).as("a stream ended by the cap").isNotNull();
      assertThat(first.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(first.getDescription()).contains("too many streams");
      assertThat(ended).isEmpty(); // the others are still open
      assertThat(rejections().tunnelPortCount("session_stream_limit")).isEqualTo(1);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPeerThatPingsTooOftenGetsGoAway() throws Exception {
    try (RawH2 h2 = RawH2.connect(server.tunnelPort(), WAIT)) {
      for (int i = 0; i < 5; i++) {
        h2.ping(i);
      }
      h2.flush();
      RawH2.Frame goAway = h2.await(RawH2.GOAWAY, 0);
      assertThat(goAway).as("GOAWAY (%s)", h2.end()).isNotNull();
      assertThat(goAway.errorCode()).isEqualTo(RawH2.ENHANCE_YOUR_CALM);
      assertThat(goAway.debugText()).contains("too_many_pings");
    }
  }
}
