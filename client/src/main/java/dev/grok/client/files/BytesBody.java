package dev.grok.client.files;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** A small body built in memory (a directory listing, an error page), handed out in chunks. */
final class BytesBody implements BodySource {
  private final ByteBuf bytes;
  private final int chunkBytes;

  BytesBody(byte[] bytes, int chunkBytes) {
    this.bytes = Unpooled.wrappedBuffer(bytes);
    this.chunkBytes = chunkBytes;
  }

  @Override
  public ByteBuf next() {
    return bytes.readRetainedSlice(Math.min(chunkBytes, bytes.readableBytes()));
  }

  @Override
  public boolean isDone() {
    return !bytes.isReadable();
  }

  @Override
  public void close() {
    // heap bytes: the garbage collector frees them
  }
}
