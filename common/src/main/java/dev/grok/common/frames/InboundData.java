package dev.grok.common.frames;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of a received Data frame as a {@code ByteBuf} for the receiving stream. {@link DataFrameMarshaller}
 * {@link #offer offers} a zero-copy frame's bytes on the thread that parsed it; gRPC then calls the stream's
 * {@code onNext} with that frame on the same thread, before it parses another message there, and the stream
 * {@link #take takes} them at once. The returned buffer wraps the transport's memory; releasing it (the socket write
 * does, as does every path that drops the frame) closes the detached gRPC stream, which gives that memory back.
 * A frame parsed the usual way (a copy) comes back as a wrapper of its immutable bytes.
 *
 * <p>Threads: the pending entry is per thread (gRPC's transport loop, or the call executor); the buffer returned by
 * {@link #take} may be released on any thread.
 */
public final class InboundData {
  private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();
  /** Data frames handed over without a copy since the JVM started (all streams, both sides). */
  private static final LongAdder ZERO_COPY_FRAMES = new LongAdder();

  /** A frame whose bytes wait for its stream's {@code onNext}. */
  private record Pending(Object frame, InputStream detached, List<ByteBuffer> bytes) {}

  private InboundData() {}

  /** Called by the marshaller: {@code frame}'s bytes are {@code bytes}, valid until {@code detached} is closed. */
  static void offer(Object frame, InputStream detached, List<ByteBuffer> bytes) {
    PENDING.set(new Pending(frame, detached, bytes));
  }

  /**
   * The bytes of the Data frame {@code frame} (whose Data carries {@code bytes}) for the caller, who owns the buffer:
   * it releases it or passes it on, on every path. Call once per Data frame, in the stream's {@code onNext}, before
   * any thread hop.
   */
  public static ByteBuf take(Object frame, ByteString bytes) {
    Pending p = PENDING.get();
    if (p != null) {
      PENDING.remove();
      if (p.frame() == frame) {
        ZERO_COPY_FRAMES.increment();
        return new DataFrameBuf(p.detached(), p.bytes());
      }
      close(p.detached()); // not this frame's: an earlier one nobody took
    }
    return wrap(bytes);
  }

  /** {@code bytes} as a {@code ByteBuf} without a copy: it wraps the immutable bytes (nothing to give back). */
  public static ByteBuf wrap(ByteString bytes) {
    return bytes.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes.asReadOnlyByteBuffer());
  }

  /** How many Data frames were handed over without a copy in this JVM (for tests and diagnostics). */
  public static long zeroCopyFrames() {
    return ZERO_COPY_FRAMES.sum();
  }

  /** Frees the bytes of a frame parsed on this thread that no stream took (its call ended in between). */
  static void dropUnclaimed() {
    Pending p = PENDING.get();
    if (p != null) {
      PENDING.remove();
      close(p.detached());
    }
  }

  private static void close(InputStream detached) {
    try {
      detached.close();
    } catch (IOException ignored) {
      // releases memory buffers; it does not fail
    }
  }

  /** The frame's bytes over the transport's buffers; the last release gives them back to gRPC. */
  private static final class DataFrameBuf extends CompositeByteBuf {
    /** The detached gRPC stream that holds the memory; closed once, in deallocate. */
    private final InputStream detached;

    DataFrameBuf(InputStream detached, List<ByteBuffer> bytes) {
      super(ByteBufAllocator.DEFAULT, true, Math.max(bytes.size(), 2), wrap(bytes));
      this.detached = detached;
    }

    private static ByteBuf[] wrap(List<ByteBuffer> bytes) {
      ByteBuf[] out = new ByteBuf[bytes.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Unpooled.wrappedBuffer(bytes.get(i));
      }
      return out;
    }

    @Override
    protected void deallocate() {
      try {
        super.deallocate();
      } finally {
        close(detached);
      }
    }
  }
}
