package dev.grok.common.compress;

import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.charset.StandardCharsets;

/**
 * The rate at which zstd ({@link ZstdCodec#LEVEL}) compresses text on this machine, measured once per process on a
 * generated JSON document: the {@code C} of {@link AutoRule}. It takes a few milliseconds of one core; call
 * {@link #zstdBytesPerSecond()} first from a thread that may block (the launcher), never first from an event loop.
 */
public final class CompressorRate {
  /** Body bytes per compressor call when measuring: a Data frame's worth. */
  private static final int CHUNK_BYTES = 64 * 1024;
  /** Chunks per measuring round; the best of {@link #ROUNDS} rounds counts (the first pays for warm-up). */
  private static final int CHUNKS = 16;
  private static final int ROUNDS = 3;

  private CompressorRate() {}

  /** Bytes of text per second zstd compresses on one core of this machine. */
  public static double zstdBytesPerSecond() {
    return Holder.ZSTD;
  }

  private static final class Holder {
    static final double ZSTD = measure();
  }

  private static double measure() {
    byte[] text = sampleText(CHUNK_BYTES);
    byte[] out = new byte[CHUNK_BYTES * 2];
    long best = Long.MAX_VALUE;
    try (ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(ZstdCodec.LEVEL)) {
      for (int round = 0; round < ROUNDS; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < CHUNKS; i++) {
          text[i] = (byte) ('a' + round); // a different input each time, so no run is a replay
          ctx.compressByteArray(out, 0, out.length, text, 0, text.length);
        }
        best = Math.min(best, System.nanoTime() - start);
      }
    }
    return (double) CHUNKS * CHUNK_BYTES * 1e9 / Math.max(best, 1);
  }

  /** {@code bytes} of JSON-like text with varying numbers and words, about as compressible as an API answer. */
  static byte[] sampleText(int bytes) {
    StringBuilder s = new StringBuilder(bytes + 128);
    String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"};
    long x = 0x2545F4914F6CDD1DL;
    for (int i = 0; s.length() < bytes; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      s.append("{\"id\":").append(i).append(",\"name\":\"").append(words[(int) ((x >>> 1) % words.length)])
          .append("\",\"score\":").append((x >>> 3) % 100000).append(",\"active\":")
          .append((x & 1) == 0).append("},\n");
    }
    s.setLength(bytes);
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
