package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.server.ServerConfig;
import dev.grok.testing.FreePort;
import dev.grok.testing.leak.LeakDetection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

/**
 * A server that stops gracefully drains an open TCP tunnel connection as it drains an HTTP exchange
 * (ServerShutdownTest): the port stops accepting, the connection in flight keeps relaying until its visitor is
 * done, and only then does the server finish closing.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class TcpShutdownDrainTest {
  private static final Duration GRACE = Duration.ofSeconds(20);
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(20);

  @TempDir
  Path dataDir;
  TestServer server;
  LocalTcpService echo;
  TestClient client;
  int port;

  @BeforeEach
  void start() {
    int low = FreePort.findRange(4);
    server = TestServer.start(TestServer.withShutdownGrace(
        TestServer.withTcpPorts(ServerConfig.forTests(dataDir), low, low + 3), GRACE));
    echo = LocalTcpService.echo();
    client = TestClient.startTcp(server, server.adminToken(), echo.hostAndPort(), 0);
    port = TestTcp.portOf(client.awaitReady());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  private boolean acceptsConnections() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String roundTrip(Socket visitor, String text) throws IOException {
    OutputStream out = visitor.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new String(visitor.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
  }

  @Test
  void openTcpConnectionIsDrainedBeforeTheServerCloses() throws Exception {
    CompletableFuture<Void> closing;
    long closeStarted;
    try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), port)) {
      visitor.setSoTimeout((int) IO_TIMEOUT.toMillis());
      assertThat(roundTrip(visitor, "before")).isEqualTo("before");

      closeStarted = System.nanoTime();
      closing = CompletableFuture.runAsync(server::close);
      await("the TCP port stops accepting").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> !acceptsConnections());
      assertThat(closing).as("close waits for the TCP connection in flight").isNotDone();

      assertThat(roundTrip(visitor, "during the drain")).isEqualTo("during the drain");
      assertThat(closing).as("still waiting: the visitor has not finished").isNotDone();

      visitor.shutdownOutput();
      InputStream in = visitor.getInputStream();
      assertThat(in.read()).as("the echo's FIN after the visitor's").isEqualTo(-1);
    }
    Await.get(closing, GRACE.plusSeconds(5), "the server's close once the visitor left");
    assertThat(Await.millisSince(closeStarted)).as("close ends with the last connection, before its deadline")
        .isLessThan(GRACE.toMillis());
  }
}
