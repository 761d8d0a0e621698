package dev.grok.client.files;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Streaming gzip (RFC 1952) into Netty buffers: a raw deflate stream between the 10-byte header and the CRC-32 and
 * length trailer. Reads its input straight from (direct) buffers, so a file is compressed chunk by chunk without a
 * heap copy of it. Not thread-safe; {@link #close()} frees the native deflater.
 */
final class GzipEncoder implements AutoCloseable {
  /**
   * Level 5: on text, within a few percent of level 9's ratio at a fraction of its CPU; this runs on an event loop,
   * one chunk at a time.
   */
  static final int LEVEL = 5;

  private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  /** Room asked for in the output before each deflate call. */
  private static final int OUTPUT_STEP_BYTES = 8 * 1024;

  private final Deflater deflater = new Deflater(LEVEL, true);
  private final CRC32 crc = new CRC32();

  /** Writes the gzip header; call once, first. */
  void start(ByteBuf out) {
    out.writeBytes(HEADER);
  }

  /** Compresses every readable byte of {@code in} (left unchanged) into {@code out}, which grows as needed. */
  void encode(ByteBuf in, ByteBuf out) {
    ByteBuffer input = in.nioBuffer();
    crc.update(input.duplicate());
    deflater.setInput(input);
    while (!deflater.needsInput()) {
      deflateInto(out);
    }
  }

  /** Flushes what the deflater holds and writes the trailer; nothing may be encoded afterwards. */
  void finish(ByteBuf out) {
    deflater.finish();
    while (!deflater.finished()) {
      deflateInto(out);
    }
    out.writeIntLE((int) crc.getValue());
    out.writeIntLE((int) deflater.getBytesRead()); // ISIZE: the input length modulo 2^32
  }

  private void deflateInto(ByteBuf out) {
    out.ensureWritable(OUTPUT_STEP_BYTES);
    ByteBuffer dst = out.nioBuffer(out.writerIndex(), out.writableBytes());
    out.writerIndex(out.writerIndex() + deflater.deflate(dst));
  }

  @Override
  public void close() {
    deflater.end();
  }
}
