package dev.grok.common.compress;

/**
 * What the sender of one tunnel's bodies (one direction) does with them: its {@link CompressionMode} and, for
 * {@code auto}, the tunnel's {@link AutoRule}. Shared by every stream that carries the tunnel's exchanges.
 */
public final class TunnelCompression {
  /** Never compress. */
  public static final TunnelCompression NONE = new TunnelCompression(CompressionMode.NONE, null);

  private final CompressionMode mode;
  /** Set for {@link CompressionMode#AUTO} only. */
  private final AutoRule auto;

  private TunnelCompression(CompressionMode mode, AutoRule auto) {
    this.mode = mode;
    this.auto = auto;
  }

  /**
   * The policy of {@code mode}; {@code auto} measures against {@link CompressorRate}'s rate once it is known (never
   * blocks: a rate not measured yet compresses nothing until {@link CompressorRate#measureInBackground()} is done).
   */
  public static TunnelCompression of(CompressionMode mode) {
    return switch (mode) {
      case NONE -> NONE;
      case AUTO -> new TunnelCompression(mode, new AutoRule(CompressorRate::zstdBytesPerSecondIfKnown));
      default -> new TunnelCompression(mode, null);
    };
  }

  /** An {@code auto} policy with {@code rule} (tests inject the rates). */
  public static TunnelCompression auto(AutoRule rule) {
    return new TunnelCompression(CompressionMode.AUTO, rule);
  }

  public CompressionMode mode() {
    return mode;
  }

  /** The gRPC message encoding, null for none. */
  public String encoding() {
    return mode.encoding();
  }

  /** The auto rule, null unless the mode is {@code auto}. */
  public AutoRule autoRule() {
    return auto;
  }

  /** Whether a compressible body's Data frame sent now is compressed. */
  boolean compressNow(long nowNanos) {
    return auto == null ? mode != CompressionMode.NONE : auto.compress(nowNanos);
  }
}
