package dev.grok.common.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.grok.common.Limits;
import io.grpc.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * gRPC message encoding {@code zstd} (zstd-jni): one zstd frame per gRPC message, with its content size in the
 * frame header. A message (a Data frame: at most 64 KiB of body) is gathered in a per-thread buffer and compressed
 * in one call with a per-thread context, so no zstd context is created per message (a streaming
 * {@code ZstdOutputStream} would allocate one, about 1 MiB of native memory, for every 64 KiB).
 *
 * <p>Threads: gRPC compresses on the thread that sends the message and decompresses on the one that delivers it;
 * both are event-loop threads, each with its own contexts.
 */
public final class ZstdCodec implements Codec {
  /**
   * zstd level 1: the fastest of the standard levels (~3x gzip's speed) and on HTML/JSON within ~10% of level 3's
   * ratio. The link the compression is for is slow; the CPU it costs is the same machine's as the tunnel's.
   */
  static final int LEVEL = 1;

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  @Override
  public String getMessageEncoding() {
    return GrpcCodecs.ZSTD;
  }

  @Override
  public OutputStream compress(OutputStream os) {
    Buffers b = BUFFERS.get();
    b.message.reset();
    return new OutputStream() {
      @Override
      public void write(int v) {
        b.message.write(v);
      }

      @Override
      public void write(byte[] src, int off, int len) {
        b.message.write(src, off, len);
      }

      @Override
      public void close() throws IOException {
        int n = b.compress();
        os.write(b.compressed, 0, n);
        // not os.close(): gRPC owns its buffer chain and closes nothing else
      }
    };
  }

  @Override
  public InputStream decompress(InputStream is) throws IOException {
    byte[] src = is.readAllBytes();
    long size = Zstd.getFrameContentSize(src, 0, src.length);
    if (size < 0 || size > Limits.MAX_MESSAGE_BYTES) {
      // gRPC would refuse an oversized message after decoding it; refuse before allocating it
      throw new IOException("zstd message: content size " + size + " (expected: 0.." + Limits.MAX_MESSAGE_BYTES
          + ", a frame with its size in the header)");
    }
    byte[] out = new byte[(int) size];
    int n = BUFFERS.get().decompressor.decompressByteArray(out, 0, out.length, src, 0, src.length);
    if (n != out.length) {
      throw new IOException("zstd message: " + n + " bytes decoded, header said " + size);
    }
    return new ByteArrayInputStream(out);
  }

  /** Per-thread state: contexts and the buffers they write into, grown to the largest message seen. */
  private static final class Buffers {
    final ZstdCompressCtx compressor = new ZstdCompressCtx().setLevel(LEVEL).setContentSize(true);
    final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
    final Gather message = new Gather();
    byte[] compressed = new byte[0];

    /** Compresses the gathered message into {@link #compressed}; returns its length. */
    int compress() {
      int bound = (int) Zstd.compressBound(message.size());
      if (compressed.length < bound) {
        compressed = new byte[bound];
      }
      return compressor.compressByteArray(compressed, 0, bound, message.array(), 0, message.size());
    }
  }

  /** A ByteArrayOutputStream whose array can be read in place. */
  private static final class Gather extends ByteArrayOutputStream {
    Gather() {
      super(64 * 1024 + 64);
    }

    byte[] array() {
      return buf;
    }
  }
}
