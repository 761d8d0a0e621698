package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.server.ServerConfig;
import dev.grok.testing.FreePort;
import dev.grok.testing.leak.LeakDetection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which public port a TCP tunnel gets: the one asked for unless another user holds it (exit 4, "already taken"),
 * never one outside the server's range, the same one again when the same user comes back, and none beyond the
 * user's tunnel limit. One server with a port range of its own for the class.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class TcpPortTest {
  static final Duration FATAL_TIMEOUT = Duration.ofSeconds(20);

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalTcpService echo;
  static int lowPort;
  static int highPort;

  @BeforeAll
  static void start() {
    lowPort = FreePort.findRange(10);
    highPort = lowPort + 9;
    server = TestServer.start(TestServer.withTcpPorts(ServerConfig.forTests(dataDir), lowPort, highPort)
        .withMaxTunnelsPerUser(3));
    echo = LocalTcpService.echo();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  private static TestClient tcp(String token, int remotePort) {
    return TestClient.startTcp(server, token, echo.hostAndPort(), remotePort);
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
    try (TestClient client = tcp(server.adminToken(), highPort)) {
      assertThat(client.awaitReady()).isEqualTo("tcp://localhost:" + highPort);
    }
  }

  @Test
  void portHeldByAnotherUserExits4SayingAlreadyTaken() {
    String bob = server.createToken("bobs-laptop", "bob").token();
    try (TestClient holder = tcp(server.adminToken(), lowPort + 1)) {
      holder.awaitReady();
      try (TestClient late = tcp(bob, lowPort + 1)) {
        RecordingListener.Event fatal = late.awaitFatal(FATAL_TIMEOUT);

        assertThat(fatal.exitCode()).isEqualTo(4);
        assertThat(fatal.message()).containsIgnoringCase("already taken");
        assertThat(late.awaitTerminated(FATAL_TIMEOUT)).isEqualTo(4);
      }
    }
  }

  @Test
  void portOutsideTheRangeIsRefusedWithExit4() {
    try (TestClient client = tcp(server.adminToken(), highPort + 1)) {
      RecordingListener.Event fatal = client.awaitFatal(FATAL_TIMEOUT);

      assertThat(fatal.exitCode()).isEqualTo(4);
      assertThat(fatal.message()).contains("outside").contains(lowPort + "-" + highPort);
    }
  }

  @Test
  void portIsReleasedWhenTheClientEndsAndTheSameUserGetsItBack() {
    String carol = server.createToken("carols-laptop", "carol").token();
    String dave = server.createToken("daves-laptop", "dave").token();
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
    String erin = server.createToken("erins-laptop", "erin").token();
    try (TestClient a = tcp(erin, 0); TestClient b = tcp(erin, 0);
        TestClient c = TestClient.start(server, erin, "erin-web", "127.0.0.1:" + echo.port())) {
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
