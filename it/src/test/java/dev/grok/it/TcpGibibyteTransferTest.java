package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.process.JavaProcess;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gibibyte goes through one TCP tunnel connection to a local echo service and back, through a server and client
 * whose JVM has a 64 MiB heap: bytes are relayed with backpressure both ways, never held. The JVM exits on the
 * first OutOfMemoryError, so being alive at the end means it had none.
 */
@ExtendWith(LeakDetection.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class TcpGibibyteTransferTest {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(120);

  static JavaProcess tunnel;
  static int publicPort;
  static CompletableFuture<String> expectedSha256;
  static ExecutorService threads;

  @BeforeAll
  static void start() {
    expectedSha256 = CompletableFuture.supplyAsync(() -> BytePattern.sha256Hex(GIB));
    threads = Executors.newVirtualThreadPerTaskExecutor();
    tunnel = JavaProcess.builder("bounded-heap-tcp")
        .jvmArgs("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=paranoid")
        .mainClass(BoundedHeapTcpTunnel.class.getName(), System.getProperty("java.class.path"))
        .start();
    publicPort = Integer.parseInt(
        tunnel.awaitStdoutLine(l -> l.startsWith("READY "), Duration.ofSeconds(60)).split(" ")[1]);
  }

  @AfterAll
  static void stop() {
    if (threads != null) {
      threads.shutdownNow();
    }
    if (tunnel != null) {
      tunnel.close();
    }
  }

  @Test
  @Order(1)
  void gibibyteEchoesIntactThroughOneConnectionAndA64MiBHeap() throws Exception {
    try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), publicPort)) {
      visitor.setSoTimeout((int) TRANSFER_TIMEOUT.toMillis());
      long start = System.nanoTime();
      Future<Void> upload = threads.submit(() -> {
        OutputStream out = visitor.getOutputStream();
        BytePattern.inputStream(GIB).transferTo(out);
        visitor.shutdownOutput();
        return null;
      });
      Sha256.Result echoed = Sha256.of(visitor.getInputStream());
      Await.get(upload, TRANSFER_TIMEOUT, "upload");
      long millis = Math.max(1, Await.millisSince(start));
      System.err.printf("tcp echo: 1 GiB each way in %d ms, %.0f MiB/s%n", millis, 1024 * 1000.0 / millis);

      assertThat(echoed).isEqualTo(new Sha256.Result(
          Await.get(expectedSha256, Duration.ofSeconds(60), "expected digest"), GIB));
      assertThat(tunnel.isAlive()).as("the 64 MiB JVM is still up\n" + tunnel.output()).isTrue();
    }
  }

  @Test
  @Order(2)
  void boundedHeapJvmStopsCleanlyWithoutErrorsOrLeaks() {
    tunnel.sendSigterm();
    int exit = tunnel.awaitExit(Duration.ofSeconds(30));

    String output = tunnel.output();
    assertThat(exit).as(output).isEqualTo(143);
    assertThat(tunnel.stdoutLines()).anyMatch(l -> l.startsWith("STOPPED"));
    assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("LEAK:");
  }
}
