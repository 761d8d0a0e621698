package dev.grok.common.compress;

import dev.grok.protocol.v1.Compression;
import java.util.Locale;

/** The {@code --compression} choice of a tunnel: what its sender does with compressible bodies. */
public enum CompressionMode {
  /** Never compress. */
  NONE(null),
  /** Compressible bodies with gRPC's built-in gzip. */
  GZIP(GrpcCodecs.GZIP),
  /** Compressible bodies with zstd. */
  ZSTD(GrpcCodecs.ZSTD),
  /** Compressible bodies with zstd while the tunnel's throughput is below the compressor's ({@link AutoRule}). */
  AUTO(GrpcCodecs.ZSTD);

  /** The default of {@code grok http}: what ngrok/frp users expect, a gain on slow links and no loss on fast ones. */
  public static final CompressionMode DEFAULT = AUTO;

  /** The gRPC message encoding ({@code grpc-encoding}) used; null for {@link #NONE}. */
  private final String encoding;

  CompressionMode(String encoding) {
    this.encoding = encoding;
  }

  /** The gRPC message encoding used; null for {@link #NONE}. */
  public String encoding() {
    return encoding;
  }

  /** The option value as typed: {@code auto}, {@code gzip}, {@code zstd} or {@code none}. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an option value (case-insensitive); anything else is an IllegalArgumentException saying what is valid. */
  public static CompressionMode parse(String value) {
    if (value != null) {
      for (CompressionMode m : values()) {
        if (m.optionValue().equalsIgnoreCase(value.strip())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException("compression: '" + value + "' (expected: auto, gzip, zstd or none)");
  }

  public Compression toProto() {
    return switch (this) {
      case NONE -> Compression.COMPRESSION_NONE;
      case GZIP -> Compression.COMPRESSION_GZIP;
      case ZSTD -> Compression.COMPRESSION_ZSTD;
      case AUTO -> Compression.COMPRESSION_AUTO;
    };
  }

  /** The mode an OpenTunnel asks for; unspecified or unknown (an older or newer client) is {@link #NONE}. */
  public static CompressionMode fromProto(Compression c) {
    return switch (c) {
      case COMPRESSION_GZIP -> GZIP;
      case COMPRESSION_ZSTD -> ZSTD;
      case COMPRESSION_AUTO -> AUTO;
      default -> NONE;
    };
  }

  /**
   * What this mode becomes with a peer that decompresses {@code peerEncodings} (Welcome.message_encodings): itself
   * when the peer takes its encoding, else {@link #GZIP} for an explicit zstd when the list is empty or names gzip
   * (every grpc-java server takes gzip), else {@link #NONE}.
   */
  public CompressionMode with(java.util.Collection<String> peerEncodings) {
    if (encoding == null || peerEncodings.contains(encoding)) {
      return this;
    }
    if (this == ZSTD && (peerEncodings.isEmpty() || peerEncodings.contains(GrpcCodecs.GZIP))) {
      return GZIP;
    }
    return this == GZIP && peerEncodings.isEmpty() ? GZIP : NONE;
  }
}
