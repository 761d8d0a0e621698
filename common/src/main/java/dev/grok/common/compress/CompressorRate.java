package dev.grok.common.compress;

import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rate at which zstd ({@link ZstdCodec#LEVEL}) compresses text on this machine, measured once per process on a
 * generated JSON document: the {@code C} of {@link AutoRule}. The measurement itself takes a few milliseconds, but the
 * first use of zstd-jni in a process (its native library and, on JDK 22+, its foreign-function bindings) costs
 * 0.2-0.3 s of CPU: call {@link #zstdBytesPerSecond()} first from a thread that may block (the server's start), never
 * first from an event loop, or {@link #measureInBackground()} where nothing should wait for it (the client starts it
 * once its tunnel is ready, so that its start does not pay for it).
 */
public final class CompressorRate {
  /** Body bytes per compressor call when measuring: a Data frame's worth. */
  private static final int CHUNK_BYTES = 64 * 1024;
  /** Chunks per measuring round; the best of {@link #ROUNDS} rounds counts (the first pays for warm-up). */
  private static final int CHUNKS = 16;
  private static final int ROUNDS = 3;

  /** Set once by whichever thread measured; 0 until then. Read by any thread. */
  private static volatile double measuredBytesPerSecond;
  private static final AtomicBoolean BACKGROUND_STARTED = new AtomicBoolean();

  private CompressorRate() {}

  /** Bytes of text per second zstd compresses on one core of this machine; measures (blocking) the first time. */
  public static double zstdBytesPerSecond() {
    return Holder.ZSTD;
  }

  /** The rate if it was measured already, else 0 (never blocks). */
  public static double zstdBytesPerSecondIfKnown() {
    return measuredBytesPerSecond;
  }

  /** Measures on a daemon thread of its own, once per process; returns at once. */
  public static void measureInBackground() {
    if (measuredBytesPerSecond == 0 && BACKGROUND_STARTED.compareAndSet(false, true)) {
      Thread.ofPlatform().name("grok-zstd-rate").daemon().start(CompressorRate::zstdBytesPerSecond);
    }
  }

  private static final class Holder {
    static final double ZSTD = publish(measure());

    private static double publish(double rate) {
      measuredBytesPerSecond = rate;
      return rate;
    }
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
