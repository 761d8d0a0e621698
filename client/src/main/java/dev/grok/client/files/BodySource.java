package dev.grok.client.files;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * A response body produced chunk by chunk, when the tunnel stream can take one. Owned by one exchange on one loop.
 */
interface BodySource extends AutoCloseable {
  /**
   * The next chunk, at most {@code Limits.MAX_CHUNK_BYTES}; the caller releases it before asking for the next.
   * Only called while {@link #isDone()} is false.
   */
  ByteBuf next() throws IOException;

  /** Every byte was handed out: the last chunk returned was the end of the body. */
  boolean isDone();

  /** Frees the file and buffers; safe to call twice. */
  @Override
  void close();
}
