package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.frames.InboundData;
import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.http.StreamingResponse;
import dev.grok.testing.leak.LeakDetection;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Data frames reach the sockets in gRPC's own receive buffers (common.frames), and those buffers go back to gRPC on
 * every path: written, or dropped because the visitor went away mid-body. A buffer never given back is a Netty
 * leak, which {@link LeakDetection} (paranoid) turns into a failure of the test that caused it.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class ZeroCopyFramesTest {
  private static final int MIB = 1024 * 1024;

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder("zerocopy").build();

  private static RawHttpConnection connect() throws Exception {
    return RawHttp.connect("127.0.0.1", tunnel.httpPort(), Duration.ofSeconds(60));
  }

  @Test
  void downloadArrivesIntactThroughZeroCopyFrames() throws Exception {
    long before = InboundData.zeroCopyFrames();

    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/bytes/" + 8 * MIB).host(tunnel.host()));

    assertThat(Sha256.hex(response.body())).isEqualTo(BytePattern.sha256Hex(8 * MIB));
    assertThat(InboundData.zeroCopyFrames()).as("Data frames received without a copy").isGreaterThan(before);
  }

  @Test
  void uploadArrivesIntactThroughZeroCopyFrames() throws Exception {
    long before = InboundData.zeroCopyFrames();

    // A type the tunnel never compresses: a compressed frame is inflated by gRPC, so it cannot travel zero-copy (a
    // body without a Content-Type counts as compressible, and --compression auto compresses it on a slow link).
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.of("POST", "/sha256?zc")
        .header("Content-Type", "application/octet-stream").body(BytePattern.bytes(8 * MIB)).host(tunnel.host()));

    assertThat(response.bodyText()).isEqualTo(
        "{\"sha256\":\"" + BytePattern.sha256Hex(8 * MIB) + "\",\"length\":" + 8 * MIB + "}");
    assertThat(InboundData.zeroCopyFrames()).as("Data frames received without a copy").isGreaterThan(before);
  }

  @Test
  void downloadCutByTheVisitorGivesEveryBufferBack() throws Exception {
    for (int i = 0; i < 5; i++) {
      try (RawHttpConnection connection = connect()) {
        connection.send("GET /bytes/" + 256L * MIB + " HTTP/1.1\r\nHost: " + tunnel.host() + "\r\n\r\n");
        StreamingResponse response = connection.readStreamingResponse("GET");
        assertThat(response.status()).isEqualTo(200);
        InputStream body = response.body();
        assertThat(body.readNBytes(2 * MIB)).hasSize(2 * MIB); // frames are in flight on both hops now
      } // closed mid-body: the edge aborts the exchange, frames still arriving are dropped
    }
    assertStillServes();
  }

  @Test
  void uploadCutByTheVisitorGivesEveryBufferBack() throws Exception {
    for (int i = 0; i < 5; i++) {
      try (RawHttpConnection connection = connect()) {
        connection.send(("POST /sha256?cut HTTP/1.1\r\nHost: " + tunnel.host() + "\r\nContent-Length: " + 256L * MIB
            + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        connection.send(BytePattern.inputStream(4L * MIB)); // then gone with 252 MiB still owed
      }
    }
    assertStillServes();
  }

  private static void assertStillServes() throws Exception {
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/bytes/" + MIB).host(tunnel.host()));
    assertThat(Sha256.hex(response.body())).isEqualTo(BytePattern.sha256Hex(MIB));
  }
}
