package dev.grok.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BytePatternTest {
  @Test
  void byteAtFollowsTheFormula() {
    assertThat(BytePattern.byteAt(0)).isEqualTo((byte) 7);
    assertThat(BytePattern.byteAt(1)).isEqualTo((byte) 38);
    assertThat(BytePattern.byteAt(1L << 40)).isEqualTo((byte) 7);
  }

  @Test
  void checksumHelperMatchesTheMaterializedBytes() {
    for (int length : new int[] {0, 1, 255, 256, 65_535, 65_536, 65_537, 200_003}) {
      assertThat(BytePattern.sha256Hex(length)).as("length %d", length)
          .isEqualTo(Sha256.hex(BytePattern.bytes(length)));
    }
  }

  @Test
  void inputStreamYieldsThePattern() throws Exception {
    try (InputStream in = BytePattern.inputStream(150_001)) {
      byte[] read = in.readAllBytes();
      assertThat(read).isEqualTo(BytePattern.bytes(150_001));
    }
    try (InputStream in = BytePattern.inputStream(300_000)) {
      assertThat(Sha256.of(in)).isEqualTo(new Sha256.Result(BytePattern.sha256Hex(300_000), 300_000));
    }
  }
}
