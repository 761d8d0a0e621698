package dev.grok.common.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The zstd gRPC codec: round trips, several messages in a row on one thread, corrupt input refused. */
class ZstdCodecTest {
  private final ZstdCodec codec = new ZstdCodec();

  private byte[] compress(byte[] message) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    try (OutputStream out = codec.compress(wire)) {
      out.write(message, 0, message.length / 2);
      for (int i = message.length / 2; i < message.length; i++) {
        out.write(message[i]);
      }
    }
    return wire.toByteArray();
  }

  private byte[] decompress(byte[] wire) throws IOException {
    return codec.decompress(new ByteArrayInputStream(wire)).readAllBytes();
  }

  @Test
  void textRoundTripsSmaller() throws IOException {
    byte[] text = CompressorRate.sampleText(64 * 1024);
    byte[] wire = compress(text);

    assertThat(wire.length).isLessThan(text.length / 3);
    assertThat(decompress(wire)).isEqualTo(text);
  }

  @Test
  void messagesOfDifferentSizesInARowRoundTrip() throws IOException {
    Random r = new Random(5);
    for (int size : new int[] {0, 1, 70_000, 100, 64 * 1024}) {
      byte[] message = new byte[size];
      r.nextBytes(message);
      assertThat(decompress(compress(message))).as("size %d", size).isEqualTo(message);
    }
  }

  @Test
  void corruptInputIsAnIoError() {
    assertThatThrownBy(() -> decompress(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).isInstanceOf(IOException.class);
  }

  @Test
  void registeredNextToGzip() {
    assertThat(GrpcCodecs.decodable()).contains("zstd", "gzip");
    assertThat(GrpcCodecs.compressors().lookupCompressor("zstd")).isNotNull();
    assertThat(GrpcCodecs.compressors().lookupCompressor("gzip")).isNotNull();
  }
}
