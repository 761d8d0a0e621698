package dev.grok.cli.client;

import dev.grok.common.compress.CompressionMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --compression auto|gzip|zstd|none} of {@code grok http} and {@code grok serve}: what is done with
 * compressible bodies on the tunnel, both ways (docs/protocol.md, "Compression"). A bad value is a usage error
 * (exit 2) naming the valid ones.
 */
public final class CompressionOption {
  @Option(names = "--compression", paramLabel = "auto|gzip|zstd|none", defaultValue = "auto",
      converter = ModeConverter.class,
      description = "Compress text bodies (HTML, JSON, CSS, JS, ...) on the tunnel, both ways: auto (zstd while the "
          + "tunnel is slower than the compressor), gzip, zstd or none (default: auto).")
  CompressionMode mode = CompressionMode.DEFAULT;

  /** Parses with {@link CompressionMode#parse}; picocli prefixes the option name to the message. */
  public static final class ModeConverter implements ITypeConverter<CompressionMode> {
    @Override
    public CompressionMode convert(String value) {
      try {
        return CompressionMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' (expected: auto, gzip, zstd or none)");
      }
    }
  }
}
