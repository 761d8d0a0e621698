package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.testing.Await;
import dev.grok.testing.leak.LeakDetection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A local service that stops reading a request body stalls the visitor's upload: every hop buffers a bounded
 * amount (socket buffers, the stream's HTTP/2 window, the client's window of request-body frames), then the edge
 * stops reading the visitor. When the service reads again, the whole body arrives.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class UploadBackpressureTest {
  private static final int MIB = 1024 * 1024;
  /** The visitor's body: far more than all the buffers on the way can hold. */
  private static final long BODY_BYTES = 384L * MIB;
  /**
   * What may sit between the visitor and a service that reads nothing: the kernel's buffers of two loopback
   * connections (tcp_rmem allows up to 32 MiB each), the stream window (1 MiB), gRPC's ready threshold, the
   * client's request-body window and write buffer. Unbounded buffering would take the whole body.
   */
  private static final long MAX_BUFFERED_BYTES = 96L * MIB;

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE).build();

  private static final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterAll
  static void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void localServiceNotReadingTheBodyStallsTheVisitorUntilItReadsAgain() throws Exception {
    try (ServerSocket service = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        TestClient client = TestClient.ready(tunnel.server(), tunnel.server().adminToken(), "slowreader",
            "127.0.0.1:" + service.getLocalPort());
        Socket visitor = new Socket(InetAddress.getLoopbackAddress(), tunnel.httpPort())) {
      AtomicLong sent = new AtomicLong();
      Future<?> upload = threads.submit(() -> {
        OutputStream out = visitor.getOutputStream();
        out.write(("PUT /upload HTTP/1.1\r\nHost: " + tunnel.server().host("slowreader") + "\r\nContent-Length: "
            + BODY_BYTES + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        // Incompressible bytes: with `--compression auto` a body without a Content-Type is compressed, and the
        // windows count wire bytes, so zeros would pass ~100x their size through the same bounded buffers.
        byte[] chunk = new byte[64 * 1024];
        new Random(13).nextBytes(chunk);
        for (long left = BODY_BYTES; left > 0; left -= chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, left));
          sent.addAndGet(Math.min(chunk.length, left));
        }
        out.flush();
        return null;
      });

      try (Socket local = service.accept()) {
        InputStream in = local.getInputStream();
        readHead(in);
        // The service reads nothing more: the upload must come to a stop with a bounded amount in flight.
        long[] last = {-1};
        await("the visitor's upload stalls").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .until(() -> {
              long now = sent.get();
              boolean still = now == last[0];
              last[0] = now;
              return still;
            });
        assertThat(upload).as("the visitor could not send the whole body to a service that reads nothing")
            .isNotDone();
        assertThat(sent.get()).as("bytes accepted from the visitor while the service read nothing")
            .isLessThan(MAX_BUFFERED_BYTES);

        // The service reads again: everything arrives and the visitor gets the answer.
        long received = drain(in, BODY_BYTES);
        assertThat(received).isEqualTo(BODY_BYTES);
        Await.get(upload, Duration.ofSeconds(60), "the rest of the upload");
        local.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(visitor.getInputStream().readNBytes(17), StandardCharsets.US_ASCII);
        assertThat(answer).isEqualTo("HTTP/1.1 200 OK\r\n");
      }
    }
  }

  /** Reads up to the end of a request head (CRLF CRLF), byte by byte, so nothing of the body is taken. */
  private static void readHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      assertThat(b).as("request head from the tunnel").isNotNegative();
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static long drain(InputStream in, long bytes) throws Exception {
    byte[] buf = new byte[256 * 1024];
    long total = 0;
    while (total < bytes) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - total));
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
