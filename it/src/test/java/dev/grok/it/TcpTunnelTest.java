package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import dev.grok.testing.BytePattern;
import dev.grok.testing.FreePort;
import dev.grok.testing.Sha256;
import dev.grok.testing.leak.LeakDetection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code grok tcp} end to end: raw bytes both ways through a TCP tunnel, byte-exact and unmixed, services that
 * speak first, half-close both ways, and the reset of a visitor whose local service is down. One server (with a
 * small port range of its own) for the class, a fresh client per test.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class TcpTunnelTest {
  static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE).tcpPorts(20).build();
  static ExecutorService threads;

  @BeforeAll
  static void startThreads() {
    threads = Executors.newVirtualThreadPerTaskExecutor();
    tunnel.closing(threads::shutdownNow);
  }

  /** A {@code grok tcp} client of the admin forwarding to {@code target}, on any public port. */
  private static TestClient tcp(String target) {
    return TestClient.startTcp(tunnel.server(), tunnel.server().adminToken(), target, 0);
  }

  static Socket visit(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout((int) IO_TIMEOUT.toMillis());
    return s;
  }

  /** Writes {@code length} bytes of {@code pattern} on another thread, then half-closes. */
  private Future<Void> sendAndHalfClose(Socket s, InputStream pattern) {
    return threads.submit(() -> {
      OutputStream out = s.getOutputStream();
      pattern.transferTo(out);
      out.flush();
      s.shutdownOutput();
      return null;
    });
  }

  @Test
  void fiveMebibytesEchoByteExact() throws Exception {
    long size = 5L * 1024 * 1024;
    try (LocalTcpService echo = LocalTcpService.echo();
        TestClient client = tcp(echo.hostAndPort())) {
      String url = client.awaitReady();
      assertThat(TestTcp.portOf(url)).isBetween(tunnel.lowTcpPort(), tunnel.highTcpPort());
      try (Socket visitor = visit(TestTcp.portOf(url))) {
        Future<Void> sent = sendAndHalfClose(visitor, BytePattern.inputStream(size));
        Sha256.Result received = Sha256.of(visitor.getInputStream()); // to the echo's FIN

        Await.get(sent, IO_TIMEOUT, "upload");
        assertThat(received).isEqualTo(new Sha256.Result(BytePattern.sha256Hex(size), size));
      }
    }
  }

  @Test
  void tenParallelConnectionsKeepTheirOwnBytes() throws Exception {
    int size = 256 * 1024;
    try (LocalTcpService echo = LocalTcpService.echo();
        TestClient client = tcp(echo.hostAndPort())) {
      int port = TestTcp.portOf(client.awaitReady());
      List<Future<byte[]>> answers = new ArrayList<>();
      List<byte[]> sent = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        byte[] pattern = new byte[size];
        for (int i = 0; i < size; i++) {
          pattern[i] = (byte) (c * 37 + i * (c + 3)); // a distinct stream per connection
        }
        sent.add(pattern);
        answers.add(threads.submit(() -> {
          try (Socket visitor = visit(port)) {
            Future<Void> upload = sendAndHalfClose(visitor, new java.io.ByteArrayInputStream(pattern));
            byte[] back = visitor.getInputStream().readAllBytes();
            Await.get(upload, IO_TIMEOUT, "upload");
            return back;
          }
        }));
      }
      for (int c = 0; c < 10; c++) {
        byte[] back = Await.get(answers.get(c), IO_TIMEOUT, "connection " + c);
        assertThat(Arrays.equals(back, sent.get(c))).as("connection %d got back exactly its own bytes", c).isTrue();
      }
      assertThat(echo.accepted()).isEqualTo(10);
    }
  }

  @Test
  void serviceThatSpeaksFirstIsHeardBeforeTheVisitorSendsAnything() throws Exception {
    try (LocalTcpService smtp = LocalTcpService.start(s -> {
          s.getOutputStream().write("220 grok.test ESMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          LocalTcpService.echo(s);
        });
        TestClient client = tcp(smtp.hostAndPort());
        Socket visitor = visit(TestTcp.portOf(client.awaitReady()))) {
      byte[] banner = visitor.getInputStream().readNBytes("220 grok.test ESMTP ready\r\n".length());

      assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("220 grok.test ESMTP ready\r\n");
    }
  }

  @Test
  void visitorHalfCloseReachesTheServiceWhichCanStillAnswer() throws Exception {
    try (LocalTcpService counter = LocalTcpService.start(s -> {
          byte[] question = s.getInputStream().readAllBytes(); // to the visitor's FIN
          s.getOutputStream().write(("read " + question.length + " bytes").getBytes(StandardCharsets.US_ASCII));
          s.shutdownOutput();
        });
        TestClient client = tcp(counter.hostAndPort());
        Socket visitor = visit(TestTcp.portOf(client.awaitReady()))) {
      visitor.getOutputStream().write("how many bytes?".getBytes(StandardCharsets.US_ASCII));
      visitor.shutdownOutput();

      byte[] answer = visitor.getInputStream().readAllBytes();

      assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("read 15 bytes");
    }
  }

  @Test
  void serviceHalfCloseReachesTheVisitorWhoCanStillSend() throws Exception {
    CompletableFuture<String> heardAfterEof = new CompletableFuture<>();
    try (LocalTcpService greeter = LocalTcpService.start(s -> {
          s.getOutputStream().write("hello, then EOF".getBytes(StandardCharsets.US_ASCII));
          s.shutdownOutput();
          heardAfterEof.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        });
        TestClient client = tcp(greeter.hostAndPort());
        Socket visitor = visit(TestTcp.portOf(client.awaitReady()))) {
      ByteArrayOutputStream greeting = new ByteArrayOutputStream();
      visitor.getInputStream().transferTo(greeting); // returns at the service's FIN

      visitor.getOutputStream().write("still talking".getBytes(StandardCharsets.US_ASCII));
      visitor.shutdownOutput();

      assertThat(greeting.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, then EOF");
      assertThat(Await.get(heardAfterEof, IO_TIMEOUT, "the service's read after its FIN")).isEqualTo("still talking");
    }
  }

  @Test
  void visitorIsDisconnectedWhenTheLocalServiceRefuses() throws Exception {
    int closedPort = FreePort.find();
    try (TestClient client = tcp("127.0.0.1:" + closedPort);
        Socket visitor = visit(TestTcp.portOf(client.awaitReady()))) {
      int first;
      try {
        first = visitor.getInputStream().read();
      } catch (java.net.SocketException reset) {
        first = -1;
      }
      assertThat(first).as("EOF or reset, never bytes").isEqualTo(-1);
    }
  }
}
