package dev.grok.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void singleRangesResolveAgainstTheLength() {
    assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
    assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
    assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
    assertThat(ByteRange.parse("bytes=-1000", 100)).isEqualTo(new ByteRange(0, 99));
    assertThat(ByteRange.parse("BYTES=50-5000", 100)).isEqualTo(new ByteRange(50, 99));
  }

  @Test
  void rangesBeyondTheEndAreUnsatisfiable() {
    assertThat(ByteRange.parse("bytes=100-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
    assertThat(ByteRange.parse("bytes=-0", 100)).isSameAs(ByteRange.UNSATISFIABLE);
    assertThat(ByteRange.parse("bytes=0-", 0)).isSameAs(ByteRange.UNSATISFIABLE);
  }

  @Test
  void absentMalformedAndMultipleRangesMeanTheWholeFile() {
    for (String h : new String[] {null, "items=0-1", "bytes=5-1", "bytes=a-b", "bytes=1", "bytes=0-1,5-6"}) {
      assertThat(ByteRange.parse(h, 100)).as(h).isSameAs(ByteRange.WHOLE);
      assertThat(ByteRange.WHOLE.isPartial()).isFalse();
    }
  }
}
