package dev.grok.client.files;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * Another body, gzip-compressed on the fly: input chunks are deflated into one output buffer, handed out in chunks
 * of at most {@code chunkBytes}. Holds at most about one input chunk plus one output chunk.
 */
final class GzipBody implements BodySource {
  private final BodySource source;
  private final int chunkBytes;
  private final GzipEncoder encoder = new GzipEncoder();
  /** Compressed bytes not handed out yet; null once closed. */
  private ByteBuf out;
  private boolean finished;

  GzipBody(BodySource source, ByteBufAllocator alloc, int chunkBytes) {
    this.source = source;
    this.chunkBytes = chunkBytes;
    this.out = alloc.directBuffer(chunkBytes);
    encoder.start(out);
  }

  @Override
  public ByteBuf next() throws IOException {
    // The previous chunk was a slice of `out` and has been released: its bytes may be overwritten now.
    out.discardReadBytes();
    while (!finished && out.readableBytes() < chunkBytes / 2) {
      ByteBuf in = source.next();
      try {
        encoder.encode(in, out);
      } finally {
        in.release();
      }
      if (source.isDone()) {
        encoder.finish(out);
        finished = true;
      }
    }
    return out.readRetainedSlice(Math.min(chunkBytes, out.readableBytes()));
  }

  @Override
  public boolean isDone() {
    return finished && !out.isReadable();
  }

  @Override
  public void close() {
    source.close();
    if (out != null) {
      encoder.close();
      out.release();
      out = null;
    }
  }
}
