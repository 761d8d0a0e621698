package dev.grok.common.frames;

import com.google.protobuf.Message;
import io.grpc.Detachable;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The marshaller of a tunnel frame type ({@code ServerFrame}, {@code ClientFrame}) that receives Data frames without
 * copying their bytes. gRPC's own protobuf marshaller copies a received frame's bytes three times (into a
 * thread-local array, into a new {@code ByteString}, and from that heap buffer into a direct one at the socket
 * write); protobuf 4 cannot alias direct buffers. So for a message that is a Data frame of at least
 * {@link #MIN_ZERO_COPY_BYTES}, read by the transport into direct buffers that the deframer's stream can
 * {@link Detachable#detach() detach} (an uncompressed message of the Netty transport), this class reads the few
 * header bytes itself, keeps the frame's bytes as slices of those buffers, and returns a frame whose Data carries
 * {@code end_of_body} and <b>empty</b> bytes: the bytes go to {@link InboundData}, which the receiving stream asks
 * for them in the same callback ({@link InboundData#take}). Every other message (heads, small or compressed Data,
 * an unexpected layout) is parsed by gRPC's protobuf marshaller, as before. Sending is unchanged.
 *
 * <p>Wire layout handled (protobuf, field order as protobuf writes it, either order accepted):
 * {@code 0x12 len(Data)} then Data's {@code 0x0A len bytes} and {@code 0x10 end_of_body}; the frame's {@code data}
 * is field 2 in both frame types. Anything else falls back to the full parser over the same bytes.
 *
 * @param <T> the frame type
 */
public final class DataFrameMarshaller<T extends Message> implements Marshaller<T> {
  /** Below this message size a copy costs less than the bookkeeping of a detached buffer. */
  public static final int MIN_ZERO_COPY_BYTES = 4 * 1024;
  /** Field 2 (the frame's {@code data}), length-delimited. */
  private static final int DATA_TAG = 2 << 3 | 2;
  /** Data's field 1 ({@code bytes}), length-delimited. */
  private static final int BYTES_TAG = 1 << 3 | 2;
  /** Data's field 2 ({@code end_of_body}), varint. */
  private static final int END_TAG = 2 << 3;

  private final Marshaller<T> proto;
  private final T endFrame;
  private final T moreFrame;
  /** Turns the zero-copy path off (tests compare both paths); read at every message. */
  private final BooleanSupplier enabled;

  /**
   * {@code endFrame} and {@code moreFrame} are the frames handed to the stream for a zero-copy Data frame with and
   * without {@code end_of_body} (their Data bytes are empty: the bytes travel through {@link InboundData}).
   */
  public DataFrameMarshaller(T defaultInstance, T endFrame, T moreFrame, BooleanSupplier enabled) {
    this.proto = ProtoUtils.marshaller(defaultInstance);
    this.endFrame = endFrame;
    this.moreFrame = moreFrame;
    this.enabled = enabled;
  }

  @Override
  public InputStream stream(T value) {
    return proto.stream(value);
  }

  @Override
  public T parse(InputStream stream) {
    InboundData.dropUnclaimed(); // a frame parsed on this thread and never taken (its call ended): free it now
    if (!(stream instanceof Detachable detachable) || !(stream instanceof HasByteBuffer hasBuffer)
        || !(stream instanceof KnownLength) || !hasBuffer.byteBufferSupported() || !stream.markSupported()
        || !enabled.getAsBoolean()) {
      return proto.parse(stream);
    }
    int size;
    try {
      size = stream.available();
    } catch (IOException e) {
      return proto.parse(stream);
    }
    if (size < MIN_ZERO_COPY_BYTES) {
      return proto.parse(stream);
    }
    // From here the detached stream (and the transport's buffers under it) is ours: closed below, or owned by the
    // InboundData entry until the receiving stream takes it.
    InputStream detached = detachable.detach();
    boolean kept = false;
    try {
      detached.mark(size); // read buffers stay with the stream (not released) until it is closed
      Body body = readDataFrame(detached);
      if (body != null) {
        T frame = body.end() ? endFrame : moreFrame;
        InboundData.offer(frame, detached, body.bytes());
        kept = true;
        return frame;
      }
      detached.reset();
      return proto.parse(detached);
    } catch (IOException e) {
      throw new IllegalStateException("reading a received frame from memory failed", e);
    } finally {
      if (!kept) {
        closeQuietly(detached);
      }
    }
  }

  /** A Data frame's bytes (slices of the transport's buffers) and its end_of_body flag. */
  private record Body(List<ByteBuffer> bytes, boolean end) {}

  /**
   * Reads a whole Data frame: its bytes and flag, or null for any other layout (then the caller resets and parses
   * it the usual way).
   */
  private static Body readDataFrame(InputStream in) throws IOException {
    if (in.read() != DATA_TAG) {
      return null;
    }
    long dataLength = readVarint(in);
    if (dataLength != in.available()) {
      return null; // another field follows or precedes the Data: not ours to take apart
    }
    boolean end = false;
    List<ByteBuffer> bytes = null;
    while (in.available() > 0) {
      int tag = in.read();
      if (tag == BYTES_TAG && bytes == null) {
        long length = readVarint(in);
        if (length < 0 || length > in.available()) {
          return null;
        }
        bytes = sliceOf(in, (int) length);
        if (bytes == null) {
          return null;
        }
      } else if (tag == END_TAG) {
        long v = readVarint(in);
        if (v < 0) {
          return null;
        }
        end = v != 0;
      } else {
        return null;
      }
    }
    return bytes == null ? null : new Body(bytes, end);
  }

  /** The next {@code length} bytes of {@code in} as slices of its buffers (no copy), or null if one is not direct. */
  private static List<ByteBuffer> sliceOf(InputStream in, int length) throws IOException {
    List<ByteBuffer> out = new ArrayList<>(4);
    int left = length;
    while (left > 0) {
      ByteBuffer current = ((HasByteBuffer) in).getByteBuffer();
      if (current == null || !current.isDirect() || !current.hasRemaining()) {
        return null;
      }
      int n = Math.min(current.remaining(), left);
      out.add(current.duplicate().limit(current.position() + n).slice());
      long skipped = in.skip(n);
      if (skipped != n) {
        return null;
      }
      left -= n;
    }
    return out;
  }

  /** A varint of at most 5 bytes (lengths, a bool), or -1 when malformed or truncated. */
  private static long readVarint(InputStream in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return -1;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing releases memory buffers; it does not fail
    }
  }
}
