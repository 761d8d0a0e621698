package dev.grok.common.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing {@code --compression} and falling back with a server that lacks an encoding. */
class CompressionModeTest {
  @Test
  void parsesTheFourValuesCaseInsensitively() {
    assertThat(CompressionMode.parse("auto")).isEqualTo(CompressionMode.AUTO);
    assertThat(CompressionMode.parse("GZIP")).isEqualTo(CompressionMode.GZIP);
    assertThat(CompressionMode.parse(" zstd ")).isEqualTo(CompressionMode.ZSTD);
    assertThat(CompressionMode.parse("none")).isEqualTo(CompressionMode.NONE);
  }

  @Test
  void anUnknownValueSaysWhatIsValid() {
    assertThatThrownBy(() -> CompressionMode.parse("brotli")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("compression: 'brotli' (expected: auto, gzip, zstd or none)");
  }

  @Test
  void theProtocolValueRoundTripsAndUnspecifiedIsNone() {
    for (CompressionMode m : CompressionMode.values()) {
      assertThat(CompressionMode.fromProto(m.toProto())).isEqualTo(m);
    }
    assertThat(CompressionMode.fromProto(dev.grok.protocol.v1.Compression.COMPRESSION_UNSPECIFIED))
        .isEqualTo(CompressionMode.NONE);
  }

  @Test
  void aServerWithoutZstdGetsGzipForZstdAndNothingForAuto() {
    List<String> old = List.of(); // a server from before Welcome.message_encodings
    assertThat(CompressionMode.ZSTD.with(old)).isEqualTo(CompressionMode.GZIP);
    assertThat(CompressionMode.AUTO.with(old)).isEqualTo(CompressionMode.NONE);
    assertThat(CompressionMode.GZIP.with(old)).isEqualTo(CompressionMode.GZIP);
    assertThat(CompressionMode.ZSTD.with(List.of("gzip", "zstd"))).isEqualTo(CompressionMode.ZSTD);
    assertThat(CompressionMode.AUTO.with(List.of("gzip", "zstd"))).isEqualTo(CompressionMode.AUTO);
  }
}
