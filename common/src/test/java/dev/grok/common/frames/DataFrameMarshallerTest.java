package dev.grok.common.frames;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import io.grpc.internal.CompositeReadableBuffer;
import io.grpc.internal.ForwardingReadableBuffer;
import io.grpc.internal.ReadableBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The marshaller over the kind of stream gRPC's deframer hands it (detachable, direct buffers, several of them for
 * one message), with buffers that record when gRPC would get them back.
 */
class DataFrameMarshallerTest {
  private final List<RecordingBuffer> buffers = new ArrayList<>();

  @Test
  void dataFrameBytesAliasTheTransportBuffersUntilReleased() {
    byte[] body = random(64 * 1024);
    ClientFrame sent = ClientFrame.newBuilder()
        .setData(Data.newBuilder().setBytes(ByteString.copyFrom(body)).setEndOfBody(true)).build();

    ClientFrame got = ExchangeMethods.SERVER.parseRequest(deframed(sent.toByteArray(), 5));
    ByteBuf bytes = InboundData.take(got, got.getData().getBytes());

    assertThat(got.getData().getEndOfBody()).isTrue();
    assertThat(ByteBufUtil.getBytes(bytes)).isEqualTo(body);
    // No copy: a change to the transport's memory shows through.
    int inSecond = buffers.get(1).offset;
    buffers.get(1).memory.put(0, (byte) (buffers.get(1).memory.get(0) + 1));
    assertThat(bytes.getByte(inSecond - headerBytes(sent))).isNotEqualTo(body[inSecond - headerBytes(sent)]);
    assertThat(buffers).noneMatch(b -> b.closed);

    bytes.release();
    assertThat(buffers).allMatch(b -> b.closed);
  }

  @Test
  void frameWithoutEndAndServerFramesToo() {
    byte[] body = random(20_000);
    ServerFrame sent = ServerFrame.newBuilder().setData(Data.newBuilder().setBytes(ByteString.copyFrom(body))).build();

    ServerFrame got = ExchangeMethods.CLIENT.parseResponse(deframed(sent.toByteArray(), 3));
    ByteBuf bytes = InboundData.take(got, got.getData().getBytes());

    assertThat(got.getData().getEndOfBody()).isFalse();
    assertThat(ByteBufUtil.getBytes(bytes)).isEqualTo(body);
    bytes.release();
    assertThat(buffers).allMatch(b -> b.closed);
  }

  @Test
  void otherFramesAreParsedAsUsualAndTheirBuffersFreedAtOnce() {
    ClientFrame sent = ClientFrame.newBuilder().setResponseHead(ResponseHead.newBuilder().setStatus(200)
        .setBody(ByteString.copyFrom(random(10_000)))).build();

    ClientFrame got = ExchangeMethods.SERVER.parseRequest(deframed(sent.toByteArray(), 2));

    assertThat(got).isEqualTo(sent);
    assertThat(buffers).allMatch(b -> b.closed);
  }

  @Test
  void aFrameNobodyTookIsFreedAtTheNextParse() {
    ClientFrame data = ClientFrame.newBuilder()
        .setData(Data.newBuilder().setBytes(ByteString.copyFrom(random(8192)))).build();
    ExchangeMethods.SERVER.parseRequest(deframed(data.toByteArray(), 2)); // its call ended before onNext
    List<RecordingBuffer> first = List.copyOf(buffers);
    assertThat(first).noneMatch(b -> b.closed);

    ClientFrame next = ExchangeMethods.SERVER.parseRequest(deframed(data.toByteArray(), 1));
    assertThat(first).allMatch(b -> b.closed);
    InboundData.take(next, next.getData().getBytes()).release();
    assertThat(buffers).allMatch(b -> b.closed);
  }

  @Test
  void smallDataFramesAreCopiedAsBefore() {
    byte[] body = random(100);
    ClientFrame sent = ClientFrame.newBuilder().setData(Data.newBuilder().setBytes(ByteString.copyFrom(body))).build();

    ClientFrame got = ExchangeMethods.SERVER.parseRequest(deframed(sent.toByteArray(), 1));

    assertThat(got).isEqualTo(sent);
    ByteBuf bytes = InboundData.take(got, got.getData().getBytes());
    assertThat(ByteBufUtil.getBytes(bytes)).isEqualTo(body);
    bytes.release();
  }

  /** The message as the deframer hands it over: a stream over {@code parts} direct buffers. */
  private InputStream deframed(byte[] message, int parts) {
    CompositeReadableBuffer composite = new CompositeReadableBuffer();
    int step = (message.length + parts - 1) / parts;
    for (int off = 0; off < message.length; off += step) {
      int len = Math.min(step, message.length - off);
      ByteBuffer memory = ByteBuffer.allocateDirect(len);
      memory.put(message, off, len).flip();
      RecordingBuffer b = new RecordingBuffer(memory, off);
      buffers.add(b);
      composite.addBuffer(b);
    }
    return ReadableBuffers.openStream(composite, true);
  }

  private static int headerBytes(ClientFrame frame) {
    return frame.getSerializedSize() - frame.getData().getBytes().size() - (frame.getData().getEndOfBody() ? 2 : 0);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** A direct transport buffer that records its close (when gRPC's memory would go back to its pool). */
  private static final class RecordingBuffer extends ForwardingReadableBuffer {
    final ByteBuffer memory;
    /** Where this buffer starts in the message. */
    final int offset;
    boolean closed;

    RecordingBuffer(ByteBuffer memory, int offset) {
      super(ReadableBuffers.wrap(memory));
      this.memory = memory;
      this.offset = offset;
    }

    @Override
    public void close() {
      closed = true;
      super.close();
    }
  }
}
