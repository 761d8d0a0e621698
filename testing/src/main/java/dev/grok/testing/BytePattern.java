package dev.grok.testing;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The deterministic byte stream of the origin's {@code /bytes/N}: byte {@code i} is {@code (i * 31 + 7) & 0xff}.
 * Its period is 256, so every 64 KiB block that starts at a multiple of 256 is the same block: the origin writes
 * slices of one shared array and checksums of any length cost no allocation beyond that block.
 */
public final class BytePattern {
  /** Size of the blocks the origin writes; a multiple of the pattern's period (256). */
  public static final int BLOCK_BYTES = 64 * 1024;

  private static final byte[] BLOCK = new byte[BLOCK_BYTES];

  static {
    for (int i = 0; i < BLOCK_BYTES; i++) {
      BLOCK[i] = byteAt(i);
    }
  }

  private BytePattern() {}

  public static byte byteAt(long index) {
    return (byte) ((index * 31 + 7) & 0xff);
  }

  /** The first {@code length} bytes of the pattern (for small bodies). */
  public static byte[] bytes(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = byteAt(i);
    }
    return out;
  }

  /** A copy of the shared 64 KiB block (pattern offsets 0 to 65535). */
  public static byte[] block() {
    return Arrays.copyOf(BLOCK, BLOCK_BYTES);
  }

  /** Hex SHA-256 of the first {@code length} bytes of the pattern, computed block by block. */
  public static String sha256Hex(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    MessageDigest digest = Sha256.newDigest();
    for (long left = length; left > 0; ) {
      int n = (int) Math.min(BLOCK_BYTES, left);
      digest.update(BLOCK, 0, n);
      left -= n;
    }
    return Sha256.hex(digest);
  }

  /** The first {@code length} bytes of the pattern as a stream (for uploads of any size). */
  public static InputStream inputStream(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < length ? byteAt(position++) & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (position >= length) {
          return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; ) {
          int blockOffset = (int) (position % BLOCK_BYTES);
          int step = Math.min(n - i, BLOCK_BYTES - blockOffset);
          System.arraycopy(BLOCK, blockOffset, b, off + i, step);
          i += step;
          position += step;
        }
        return n;
      }
    };
  }
}
