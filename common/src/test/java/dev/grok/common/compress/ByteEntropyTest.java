package dev.grok.common.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.stub.CallStreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Which body chunks go to the compressor: text-like ones do, random or already compressed ones do not. */
class ByteEntropyTest {
  private static final int CHUNK = 64 * 1024;

  private static ByteString random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private static ByteString json(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < n; i++) {
      sb.append("{\"id\":").append(i).append(",\"name\":\"user-").append(i * 7919 % 1000)
          .append("\",\"active\":").append(i % 3 == 0).append("},\n");
    }
    return ByteString.copyFrom(sb.substring(0, n), StandardCharsets.UTF_8);
  }

  private static ByteString gzipped(ByteString plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      plain.writeTo(gz);
    }
    return ByteString.copyFrom(out.toByteArray());
  }

  @Test
  void randomAndCompressedBytesLookIncompressible() throws Exception {
    assertThat(ByteEntropy.looksIncompressible(random(CHUNK, 1))).isTrue();
    assertThat(ByteEntropy.looksIncompressible(gzipped(random(4 * CHUNK, 2)))).isTrue();
    assertThat(ByteEntropy.bitsPerByte(random(CHUNK, 3), ByteEntropy.SAMPLE_BYTES)).isGreaterThan(7.9);
  }

  @Test
  void textJsonBase64AndZerosAreCompressed() {
    assertThat(ByteEntropy.looksIncompressible(json(CHUNK))).isFalse();
    assertThat(ByteEntropy.looksIncompressible(ByteString.copyFrom(new byte[CHUNK]))).isFalse();
    byte[] raw = random(CHUNK, 4).toByteArray();
    ByteString b64 = ByteString.copyFromUtf8(Base64.getEncoder().encodeToString(raw));
    assertThat(ByteEntropy.bitsPerByte(b64, ByteEntropy.SAMPLE_BYTES)).isLessThan(6.1);
    assertThat(ByteEntropy.looksIncompressible(b64)).isFalse();
  }

  @Test
  void chunksSmallerThanTheSampleAreNotJudged() {
    assertThat(ByteEntropy.looksIncompressible(random(ByteEntropy.SAMPLE_BYTES - 1, 5))).isFalse();
  }

  @Test
  void aStreamCompressesTextFramesAndSendsRandomFramesAsTheyAre() {
    List<Boolean> told = new ArrayList<>();
    FrameCompression switchOf = FrameCompression.client(new RecordingCall(told));
    switchOf.compressBody(TunnelCompression.of(CompressionMode.ZSTD), true);

    switchOf.beforeData(json(CHUNK));
    assertThat(told).containsExactly(true);
    switchOf.beforeData(random(CHUNK, 6));
    assertThat(told).containsExactly(true, false);
    switchOf.beforeData(random(CHUNK, 7));
    assertThat(told).as("gRPC is told only when the answer changes").containsExactly(true, false);
    switchOf.beforeData(json(CHUNK));
    assertThat(told).containsExactly(true, false, true);
  }

  /** Records what the switch tells gRPC; nothing is sent. */
  private static final class RecordingCall extends CallStreamObserver<Object> {
    private final List<Boolean> told;

    RecordingCall(List<Boolean> told) {
      this.told = told;
    }

    @Override
    public void setMessageCompression(boolean enable) {
      told.add(enable);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void onNext(Object value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
