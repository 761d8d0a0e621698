package dev.grok.common.compress;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The {@code auto} rule of one tunnel and direction: compress while the tunnel's measured throughput is below the
 * rate the compressor sustains, since then compressing cannot slow the body down.
 *
 * <p>Why: uncompressed, a body flows at {@code R = min(origin, link)}; compressed at {@code min(origin, C, link *
 * ratio)}, with {@code C} the compressor's rate and {@code ratio > 1} for a compressible body. When {@code R < C}
 * every term of the second minimum is at least {@code R}, so compression is never slower (and on a slow link up to
 * {@code ratio} times faster); when {@code R >= C} it would cap the body at {@code C}, a loss.
 *
 * <p>How {@code R} is measured: {@link FrameCompression} times the Data frames it sends uncompressed, within one
 * exchange (idle time between exchanges never counts), skipping the first {@link #SKIP_BYTES} of each body (they
 * only fill the flow-control window and socket buffers, at memory speed), then one sample per
 * {@link #SAMPLE_BYTES}. Samples are smoothed ({@link #WEIGHT}). Without a sample, or when the latest is older than
 * {@link #FRESH_NANOS}, nothing is compressed: the next body is sent plain and measured again, so a tunnel that
 * became fast stops compressing within that time, at the cost of one plain sample per period on a slow link.
 * Bodies shorter than {@code SKIP_BYTES + SAMPLE_BYTES} teach nothing but follow what larger ones taught.
 *
 * <p>Thread-safety: streams of one tunnel run on several event loops; samples are rare (one per 2 MiB) and
 * synchronized, the per-frame check reads two volatile fields.
 */
public final class AutoRule {
  /** Bytes of each body not timed: gRPC's stream window (1 MiB) and socket buffers take them without waiting. */
  public static final long SKIP_BYTES = 1024 * 1024;
  /** Bytes per throughput sample. */
  public static final long SAMPLE_BYTES = 2 * 1024 * 1024;
  /** A sample is trusted this long; then the tunnel is measured again. */
  public static final long FRESH_NANOS = 30_000_000_000L;
  /** Weight of a new sample in the moving estimate. */
  static final double WEIGHT = 0.5;

  /** The compressor's rate in bytes/s, 0 while not known yet (nothing is compressed until it is). */
  private final DoubleSupplier compressorBytesPerSecond;
  /** The moving estimate of the tunnel's throughput in bytes/s; 0 before the first sample. */
  private volatile double estimateBytesPerSecond;
  /** System.nanoTime() of the latest sample; meaningful only once the estimate is set. */
  private volatile long sampledAtNanos;

  /** A rule against a compressor that sustains {@code compressorBytesPerSecond}. */
  public AutoRule(double compressorBytesPerSecond) {
    if (!(compressorBytesPerSecond > 0)) {
      throw new IllegalArgumentException("compressorBytesPerSecond: " + compressorBytesPerSecond + " (expected: > 0)");
    }
    this.compressorBytesPerSecond = () -> compressorBytesPerSecond;
  }

  /**
   * A rule against a compressor whose rate {@code compressorBytesPerSecond} gives once it is known (0 before): until
   * then nothing is compressed, which is always safe (the client measures its compressor after it is ready).
   */
  public AutoRule(DoubleSupplier compressorBytesPerSecond) {
    this.compressorBytesPerSecond = Objects.requireNonNull(compressorBytesPerSecond, "compressorBytesPerSecond");
  }

  /** Whether a compressible Data frame sent at {@code nowNanos} (System.nanoTime()) is compressed. */
  public boolean compress(long nowNanos) {
    double estimate = estimateBytesPerSecond;
    return estimate > 0 && nowNanos - sampledAtNanos < FRESH_NANOS
        && estimate < compressorBytesPerSecond.getAsDouble();
  }

  /** Records {@code bytes} sent uncompressed in {@code nanos}, ending at {@code nowNanos}. */
  public synchronized void sample(long bytes, long nanos, long nowNanos) {
    double rate = bytes * 1e9 / Math.max(nanos, 1);
    double previous = estimateBytesPerSecond;
    boolean fresh = previous > 0 && nowNanos - sampledAtNanos < FRESH_NANOS;
    estimateBytesPerSecond = fresh ? previous + WEIGHT * (rate - previous) : rate;
    sampledAtNanos = nowNanos;
  }

  /** The current estimate in bytes/s, 0 when nothing was measured yet. */
  public double estimateBytesPerSecond() {
    return estimateBytesPerSecond;
  }

  /** The compressor's rate in bytes/s, 0 while not known yet. */
  public double compressorBytesPerSecond() {
    return compressorBytesPerSecond.getAsDouble();
  }
}
