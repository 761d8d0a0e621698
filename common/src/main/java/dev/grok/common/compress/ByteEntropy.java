package dev.grok.common.compress;

import com.google.protobuf.ByteString;

/**
 * Whether a chunk of body bytes is worth handing to the compressor, judged from the Shannon entropy of its first
 * {@link #SAMPLE_BYTES} (a byte histogram: a few microseconds, against ~100 us for zstd on a 64 KiB chunk). Random,
 * encrypted and already compressed bytes (zip, JPEG, video, a body whose type said nothing) sit near 8 bits per
 * byte and shrink by a few percent at most; text, JSON, HTML and base64 sit at 6 bits or less.
 *
 * <p>Why: {@link CompressibleBody} decides from headers only, and a body without a Content-Type qualifies (an
 * upload by {@code curl -T} sends none). A 100 MiB upload of random bytes was compressed frame by frame, costing the
 * server zstd and the client its inflation for nothing (BENCHMARKS.md, 2026-12-06, zero-copy receive).
 */
public final class ByteEntropy {
  /** Bytes of a chunk that are looked at; smaller chunks are not judged (their histogram says too little). */
  public static final int SAMPLE_BYTES = 4096;
  /** Chunks above this many bits of entropy per byte are sent as they are. */
  public static final double INCOMPRESSIBLE_BITS_PER_BYTE = 7.2;

  private ByteEntropy() {}

  /** True when {@code chunk} holds at least {@link #SAMPLE_BYTES} and its sample looks incompressible. */
  public static boolean looksIncompressible(ByteString chunk) {
    if (chunk.size() < SAMPLE_BYTES) {
      return false;
    }
    return bitsPerByte(chunk, SAMPLE_BYTES) > INCOMPRESSIBLE_BITS_PER_BYTE;
  }

  /** Shannon entropy in bits per byte of the first {@code n} bytes of {@code bytes} (n at most its size). */
  static double bitsPerByte(ByteString bytes, int n) {
    int[] counts = new int[256];
    ByteString.ByteIterator it = bytes.iterator();
    for (int i = 0; i < n; i++) {
      counts[it.nextByte() & 0xff]++;
    }
    double bits = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        bits -= p * Math.log(p);
      }
    }
    return bits / Math.log(2);
  }
}
