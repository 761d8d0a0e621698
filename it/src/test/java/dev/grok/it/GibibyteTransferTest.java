package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.http.StreamingResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.process.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gibibyte crosses the tunnel in each direction through a server and client whose JVM has a 64 MiB heap: bodies
 * are streamed, never held. The JVM exits on the first OutOfMemoryError, so being alive at the end means it had
 * none.
 */
@ExtendWith(LeakDetection.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class GibibyteTransferTest {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);

  static JavaProcess tunnel;
  static int httpPort;
  static String host;
  /** SHA-256 of the first GiB of the pattern, computed while the child starts. */
  static CompletableFuture<String> expectedSha256;

  @BeforeAll
  static void start() {
    expectedSha256 = CompletableFuture.supplyAsync(() -> BytePattern.sha256Hex(GIB));
    tunnel = JavaProcess.builder("bounded-heap")
        .jvmArgs("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=paranoid")
        .mainClass(BoundedHeapTunnel.class.getName(), System.getProperty("java.class.path"))
        .start();
    String[] ready = tunnel.awaitStdoutLine(l -> l.startsWith("READY "), Duration.ofSeconds(60)).split(" ");
    httpPort = Integer.parseInt(ready[1]);
    host = ready[2];
  }

  @AfterAll
  static void stop() {
    if (tunnel != null) {
      tunnel.close();
    }
  }

  private static RawHttpConnection connect() throws Exception {
    return RawHttp.connect("127.0.0.1", httpPort, TRANSFER_TIMEOUT);
  }

  private static void report(String what, long startNanos) {
    long millis = Math.max(1, Await.millisSince(startNanos));
    System.err.printf("%s: 1 GiB in %d ms, %.0f MiB/s%n", what, millis, 1024 * 1000.0 / millis);
  }

  @Test
  @Order(1)
  void gibibyteDownloadArrivesIntactThroughA64MiBHeap() throws Exception {
    try (RawHttpConnection connection = connect()) {
      long start = System.nanoTime();
      connection.send("GET /bytes/" + GIB + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      StreamingResponse response = connection.readStreamingResponse("GET");
      Sha256.Result received = Sha256.of(response.body());
      report("download", start);

      assertThat(response.status()).isEqualTo(200);
      assertThat(received).isEqualTo(new Sha256.Result(
          Await.get(expectedSha256, Duration.ofSeconds(60), "expected digest"), GIB));
      assertThat(tunnel.isAlive()).as("the 64 MiB JVM is still up\n" + tunnel.output()).isTrue();
    }
  }

  @Test
  @Order(2)
  void gibibyteUploadArrivesIntactThroughA64MiBHeap() throws Exception {
    try (RawHttpConnection connection = connect()) {
      long start = System.nanoTime();
      connection.send(("POST /sha256 HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + GIB
          + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      connection.send(BytePattern.inputStream(GIB));
      RawResponse response = connection.readFinalResponse("POST");
      report("upload", start);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("{\"sha256\":\""
          + Await.get(expectedSha256, Duration.ofSeconds(60), "expected digest") + "\",\"length\":" + GIB + "}");
      assertThat(tunnel.isAlive()).as("the 64 MiB JVM is still up\n" + tunnel.output()).isTrue();
    }
  }

  @Test
  @Order(3)
  void boundedHeapJvmStopsCleanlyWithoutErrorsOrLeaks() {
    // Last: it stops the JVM the transfers ran through.
    tunnel.sendSigterm();
    int exit = tunnel.awaitExit(Duration.ofSeconds(30));

    String output = tunnel.output();
    assertThat(exit).as(output).isEqualTo(143);
    assertThat(tunnel.stdoutLines()).anyMatch(l -> l.startsWith("STOPPED "));
    assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("LEAK:");
  }
}
