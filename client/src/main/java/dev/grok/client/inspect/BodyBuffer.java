package dev.grok.client.inspect;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Copies the first {@code limit} bytes of a body as its chunks go by and counts the rest. Owned by the exchange's
 * event loop until {@link #finish()} hands the array over.
 */
final class BodyBuffer {
  private static final int INITIAL_BYTES = 1024;

  private final int limit;
  private byte[] bytes = new byte[0];
  private int length;
  private long size;

  BodyBuffer(int limit) {
    this.limit = limit;
  }

  /** Copies what fits of {@code chunk}'s readable bytes without moving its reader index. */
  void append(ByteBuf chunk) {
    int n = chunk.readableBytes();
    size += n;
    int take = Math.min(n, limit - length);
    if (take <= 0) {
      return;
    }
    if (length + take > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + take, Math.max(INITIAL_BYTES, bytes.length * 2))));
    }
    chunk.getBytes(chunk.readerIndex(), bytes, length, take);
    length += take;
  }

  /**
   * The body captured so far, while appending may go on (raw bytes after an upgrade): later appends write only
   * beyond {@code length} or into a new array, so the snapshot's bytes never change.
   */
  CapturedBody snapshot() {
    return size == 0 ? CapturedBody.EMPTY : new CapturedBody(bytes, length, size);
  }

  /** The captured body; the buffer must not be appended to afterwards (the array changes owner). */
  CapturedBody finish() {
    return size == 0 ? CapturedBody.EMPTY : new CapturedBody(bytes, length, size);
  }
}
