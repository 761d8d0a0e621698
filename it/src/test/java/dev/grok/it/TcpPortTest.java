package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.client.RecordingListener;
import dev.grok.testing.leak.LeakDetection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which public port a TCP tunnel gets: the one asked for unless another user holds it (exit 4, "already taken"),
 * never one outside the server's range, the same one again when the same user comes back, and none beyond the
 * user's tunnel limit. One server with a port range of its own for the class.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class TcpPortTest {
  static final Duration FATAL_TIMEOUT = Duration.ofSeconds(20);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.TCP_ECHO).tcpPorts(10)
      .server(c -> c.withMaxTunnelsPerUser(3)).build();

  private static TestClient tcp(String token, int remotePort) {
    return TestClient.startTcp(tunnel.server(), token, tunnel.tcpService().hostAndPort(), remotePort);
  }

  private static boolean refuses(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  @Test
  void requestedPortIsGivenAndAnnouncedInThePublicUrl() {
    try (TestClient client = tcp(tunnel.server().adminToken(), tunnel.highTcpPort())) {
      assertThat(client.awaitReady()).isEqualTo("tcp://localhost:" + tunnel.highTcpPort());
    }
  }

  @Test
  void portHeldByAnotherUserExits4SayingAlreadyTaken() {
    String bob = tunnel.server().createToken("bobs-laptop", "bob").token();
    try (TestClient holder = tcp(tunnel.server().adminToken(), tunnel.lowTcpPort() + 1)) {
      holder.awaitReady();
      try (TestClient late = tcp(bob, tunnel.lowTcpPort() + 1)) {
        RecordingListener.Event fatal = late.awaitFatal(FATAL_TIMEOUT);

        assertThat(fatal.exitCode()).isEqualTo(4);
        assertThat(fatal.message()).containsIgnoringCase("already taken");
        assertThat(late.awaitTerminated(FATAL_TIMEOUT)).isEqualTo(4);
      }
    }
  }

  @Test
  void portOutsideTheRangeIsRefusedWithExit4() {
    try (TestClient client = tcp(tunnel.server().adminToken(), tunnel.highTcpPort() + 1)) {
      RecordingListener.Event fatal = client.awaitFatal(FATAL_TIMEOUT);

      assertThat(fatal.exitCode()).isEqualTo(4);
      assertThat(fatal.message()).contains("outside").contains(tunnel.lowTcpPort() + "-" + tunnel.highTcpPort());
    }
  }

  @Test
  void portIsReleasedWhenTheClientEndsAndTheSameUserGetsItBack() {
    String carol = tunnel.server().createToken("carols-laptop", "carol").token();
    String dave = tunnel.server().createToken("daves-laptop", "dave").token();
    int port;
    try (TestClient first = tcp(carol, 0)) {
      port = TestTcp.portOf(first.awaitReady());
    }
    await("port " + port + " released").atMost(Duration.ofSeconds(10)).until(() -> refuses(port));

    try (TestClient other = tcp(dave, 0)) {
      assertThat(TestTcp.portOf(other.awaitReady())).as("another user's tunnel").isNotEqualTo(port);
      try (TestClient again = tcp(carol, 0)) {
        assertThat(TestTcp.portOf(again.awaitReady())).as("the same user's next tunnel").isEqualTo(port);
      }
    }
  }

  @Test
  void tcpTunnelsCountTowardsTheUsersTunnelLimit() {
    String erin = tunnel.server().createToken("erins-laptop", "erin").token();
    try (TestClient a = tcp(erin, 0); TestClient b = tcp(erin, 0);
        TestClient c = TestClient.start(tunnel.server(), erin, "erin-web", "127.0.0.1:" + tunnel.tcpService().port())) {
      a.awaitReady();
      b.awaitReady();
      c.awaitReady();
      try (TestClient d = tcp(erin, 0)) {
        RecordingListener.Event fatal = d.awaitFatal(FATAL_TIMEOUT);

        assertThat(fatal.exitCode()).isEqualTo(4);
        assertThat(fatal.message()).containsIgnoringCase("limit");
      }
    }
  }
}
