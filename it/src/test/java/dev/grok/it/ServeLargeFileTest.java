package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.StreamingResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.process.JavaProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MiB file crosses {@code grok serve} byte-exact through a server and client whose JVM has a 32 MiB heap and
 * 32 MiB of direct memory: the file is streamed chunk by chunk with backpressure, never held (it would not fit).
 * The JVM exits on the first OutOfMemoryError, so serving it whole proves it had none.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class ServeLargeFileTest {
  private static final long FILE_BYTES = 50L * 1024 * 1024;

  @TempDir
  Path work;

  @Test
  void fiftyMiBFileIsStreamedByteExactThroughA32MiBJvm() throws Exception {
    Path root = Files.createDirectories(work.resolve("www"));
    try (InputStream in = BytePattern.inputStream(FILE_BYTES);
        OutputStream out = Files.newOutputStream(root.resolve("large.bin"))) {
      in.transferTo(out);
    }
    try (JavaProcess tunnel = JavaProcess.builder("bounded-heap-serve")
        .jvmArgs("-Xmx32m", "-XX:MaxDirectMemorySize=32m", "-XX:+ExitOnOutOfMemoryError",
            "-Dio.netty.leakDetection.level=paranoid")
        .mainClass(BoundedHeapTunnel.class.getName(), System.getProperty("java.class.path"))
        .args("serve", root.toString())
        .start()) {
      String[] ready = tunnel.awaitStdoutLine(l -> l.startsWith("READY "), Duration.ofSeconds(60)).split(" ");
      int httpPort = Integer.parseInt(ready[1]);

      try (RawHttpConnection connection = RawHttp.connect("127.0.0.1", httpPort, Duration.ofSeconds(60))) {
        connection.send("GET /large.bin HTTP/1.1\r\nHost: " + ready[2] + "\r\nAccept-Encoding: gzip\r\n\r\n");
        StreamingResponse response = connection.readStreamingResponse("GET");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(FILE_BYTES));
        assertThat(Sha256.of(response.body()))
            .isEqualTo(new Sha256.Result(BytePattern.sha256Hex(FILE_BYTES), FILE_BYTES));
      }
      assertThat(tunnel.isAlive()).as("the 32 MiB JVM is still up\n" + tunnel.output()).isTrue();
      tunnel.sendSigterm();
      tunnel.awaitExit(Duration.ofSeconds(30));
      assertThat(tunnel.output()).doesNotContain("OutOfMemoryError").doesNotContain("LEAK:");
    }
  }
}
