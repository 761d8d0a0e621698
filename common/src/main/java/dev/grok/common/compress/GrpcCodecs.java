package dev.grok.common.compress;

import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import java.util.List;

/**
 * The compressor and decompressor registries of every grok channel and server: gRPC's defaults (gzip, identity)
 * plus {@link ZstdCodec}, advertised. With both registered on both sides, each side can always decompress what
 * the other sends; grpc-java advertises the decompressors in {@code grpc-accept-encoding}, and a server answers
 * uncompressed to a client that did not list the server's chosen encoding (an older grok client).
 */
public final class GrpcCodecs {
  public static final String ZSTD = "zstd";
  public static final String GZIP = "gzip";

  private static final CompressorRegistry COMPRESSORS = CompressorRegistry.newEmptyInstance();
  private static final DecompressorRegistry DECOMPRESSORS =
      DecompressorRegistry.getDefaultInstance().with(new ZstdCodec(), true);

  static {
    COMPRESSORS.register(new Codec.Gzip());
    COMPRESSORS.register(new ZstdCodec());
  }

  private GrpcCodecs() {}

  public static CompressorRegistry compressors() {
    return COMPRESSORS;
  }

  public static DecompressorRegistry decompressors() {
    return DECOMPRESSORS;
  }

  /** The encodings this side decompresses, for Welcome.message_encodings. */
  public static List<String> decodable() {
    return List.copyOf(DECOMPRESSORS.getKnownMessageEncodings());
  }
}
