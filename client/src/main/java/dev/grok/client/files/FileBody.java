package dev.grok.client.files;

import dev.grok.common.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A span of an open file, read {@link Limits#MAX_CHUNK_BYTES} at a time into pooled direct buffers (positional reads:
 * the kernel copies straight into the buffer, with no JDK temporary in between). The read happens on the event loop,
 * like Netty's own ChunkedFile: a page-cache hit costs microseconds.
 */
final class FileBody implements BodySource {
  private final FileChannel file;
  private final ByteBufAllocator alloc;
  private final int chunkBytes;
  /** Next byte to read and the end of the span (exclusive). */
  private long position;
  private final long end;
  private boolean closed;

  FileBody(FileChannel file, long first, long length, ByteBufAllocator alloc, int chunkBytes) {
    this.file = file;
    this.alloc = alloc;
    this.chunkBytes = chunkBytes;
    this.position = first;
    this.end = first + length;
  }

  @Override
  public ByteBuf next() throws IOException {
    int want = (int) Math.min(chunkBytes, end - position);
    ByteBuf buf = alloc.directBuffer(want);
    try {
      while (buf.writableBytes() > 0) {
        int n = buf.writeBytes(file, position, buf.writableBytes());
        if (n < 0) {
          throw new IOException("file shrank while being sent (" + (end - position) + " bytes missing)");
        }
        position += n;
      }
      return buf;
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  @Override
  public boolean isDone() {
    return position >= end;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      file.close();
    } catch (IOException ignored) {
      // read-only: nothing was lost
    }
  }
}
