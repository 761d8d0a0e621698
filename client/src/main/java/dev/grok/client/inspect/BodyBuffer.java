package dev.grok.client.inspect;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies the first {@code limit} bytes of a body as its chunks go by and counts the rest. Owned by the exchange's
 * event loop until {@link #finish()} hands the array over.
 *
 * <p>The array's bytes are reserved from a budget shared by every capture still in progress (the inspector's
 * {@link Inspector#MAX_CAPTURING_BODY_BYTES}): a thousand large bodies in flight at once would otherwise hold up to
 * 2 x 64 KiB each on the client's heap. When the budget is spent, the body is captured no further (it shows as
 * truncated; its size is still counted); {@link #finish()} gives the reservation back.
 */
final class BodyBuffer {
  private static final int INITIAL_BYTES = 1024;

  private final int limit;
  /** Bytes reserved by the captures in progress, shared with the inspector; thread-safe. */
  private final AtomicLong capturing;
  private final long maxCapturingBytes;
  private byte[] bytes = new byte[0];
  private int length;
  private long size;
  /** The budget refused to grow the array: nothing more is copied. */
  private boolean starved;
  private boolean finished;

  /** A buffer with a budget of its own of {@code limit} bytes (tests). */
  BodyBuffer(int limit) {
    this(limit, new AtomicLong(), limit);
  }

  BodyBuffer(int limit, AtomicLong capturing, long maxCapturingBytes) {
    this.limit = limit;
    this.capturing = capturing;
    this.maxCapturingBytes = maxCapturingBytes;
  }

  /** Copies what fits of {@code chunk}'s readable bytes without moving its reader index. */
  void append(ByteBuf chunk) {
    int n = chunk.readableBytes();
    size += n;
    int take = Math.min(n, limit - length);
    if (take <= 0 || starved || finished) {
      return;
    }
    if (length + take > bytes.length) {
      int grown = Math.min(limit, Math.max(length + take, Math.max(INITIAL_BYTES, bytes.length * 2)));
      if (!reserve(grown - bytes.length)) {
        starved = true;
        return;
      }
      bytes = Arrays.copyOf(bytes, grown);
    }
    chunk.getBytes(chunk.readerIndex(), bytes, length, take);
    length += take;
  }

  private boolean reserve(long more) {
    while (true) {
      long held = capturing.get();
      if (held + more > maxCapturingBytes) {
        return false;
      }
      if (capturing.compareAndSet(held, held + more)) {
        return true;
      }
    }
  }

  /**
   * The body captured so far, while appending may go on (raw bytes after an upgrade): later appends write only
   * beyond {@code length} or into a new array, so the snapshot's bytes never change.
   */
  CapturedBody snapshot() {
    return size == 0 ? CapturedBody.EMPTY : new CapturedBody(bytes, length, size);
  }

  /**
   * The captured body; the buffer must not be appended to afterwards (the array changes owner, and its bytes go
   * back to the budget of the captures in progress: the inspector's budgets of pending and kept bodies take over).
   */
  CapturedBody finish() {
    if (!finished) {
      finished = true;
      capturing.addAndGet(-bytes.length);
    }
    return size == 0 ? CapturedBody.EMPTY : new CapturedBody(bytes, length, size);
  }
}
