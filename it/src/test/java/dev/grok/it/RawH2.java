package dev.grok.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP/2 (h2c, prior knowledge) client that writes whatever frames a test asks for, malformed ones included,
 * on a plain socket: headers are HPACK-encoded by Netty's encoder with no validation, frames are built by hand.
 * Frames are buffered until {@link #flush()}. Reads frames one at a time, with a read timeout as the bound of
 * every wait. Not thread-safe.
 */
final class RawH2 implements AutoCloseable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int PRIORITY = 0x2;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;

  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;

  static final long NO_ERROR = 0x0;
  static final long PROTOCOL_ERROR = 0x1;
  static final long REFUSED_STREAM = 0x7;
  static final long ENHANCE_YOUR_CALM = 0xb;

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_FRAME_PAYLOAD = 16_384;

  /** One frame received; {@code headers} is the decoded block of a HEADERS frame, else null. */
  record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {
    /** Error code of a RST_STREAM or GOAWAY. */
    long errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xffL) << 16) | ((payload[at + 2] & 0xffL) << 8)
          | (payload[at + 3] & 0xffL);
    }

    /** Debug text of a GOAWAY. */
    String debugText() {
      return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }
  }

  /** How a wait for a frame ended when it did not find one. */
  enum End { CLOSED, RESET, TIMED_OUT }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final Http2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE,
      false);
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  /** How the last failed {@link #next()} ended; null while frames arrive. */
  private End end;

  private RawH2(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:{@code port}, sends the preface and an empty SETTINGS (not yet flushed). */
  static RawH2 connect(int port, Duration readTimeout) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout((int) readTimeout.toMillis());
    s.setTcpNoDelay(true);
    RawH2 h2 = new RawH2(s);
    h2.pending.writeBytes(PREFACE);
    h2.frame(SETTINGS, 0, 0, new byte[0]);
    return h2;
  }

  /** A request head for {@code authority}: {@code :method}, {@code :scheme}, {@code :authority}, {@code :path}. */
  static Http2Headers request(String method, String authority, String path) {
    return new DefaultHttp2Headers(false).method(method).scheme("http").authority(authority).path(path);
  }

  RawH2 frame(int type, int flags, int streamId, byte[] payload) {
    pending.write(payload.length >>> 16);
    pending.write(payload.length >>> 8);
    pending.write(payload.length);
    pending.write(type);
    pending.write(flags);
    pending.write(streamId >>> 24 & 0x7f);
    pending.write(streamId >>> 16);
    pending.write(streamId >>> 8);
    pending.write(streamId);
    pending.writeBytes(payload);
    return this;
  }

  /** HEADERS (plus CONTINUATION frames when the block is larger than one frame), END_STREAM when {@code end}. */
  RawH2 headers(int streamId, Http2Headers headers, boolean end) {
    byte[] block = encode(headers);
    int first = Math.min(block.length, MAX_FRAME_PAYLOAD);
    boolean one = first == block.length;
    frame(HEADERS, (end ? END_STREAM : 0) | (one ? END_HEADERS : 0), streamId, slice(block, 0, first));
    for (int at = first; at < block.length; at += MAX_FRAME_PAYLOAD) {
      int n = Math.min(MAX_FRAME_PAYLOAD, block.length - at);
      frame(CONTINUATION, at + n == block.length ? END_HEADERS : 0, streamId, slice(block, at, n));
    }
    return this;
  }

  /**
   * One HEADERS frame whose block is {@code parts} encoded one after another, in this order (DefaultHttp2Headers
   * always puts pseudo-headers first; this is how a test sends one after a regular header).
   */
  RawH2 headersInOrder(int streamId, boolean end, Http2Headers... parts) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (Http2Headers part : parts) {
      block.writeBytes(encode(part));
    }
    return frame(HEADERS, (end ? END_STREAM : 0) | END_HEADERS, streamId, block.toByteArray());
  }

  RawH2 data(int streamId, byte[] bytes, boolean end) {
    return frame(DATA, end ? END_STREAM : 0, streamId, bytes);
  }

  RawH2 rst(int streamId, long errorCode) {
    return frame(RST_STREAM, 0, streamId, int32(errorCode));
  }

  RawH2 ping(long data) {
    byte[] p = new byte[8];
    for (int i = 0; i < 8; i++) {
      p[i] = (byte) (data >>> (56 - 8 * i));
    }
    return frame(PING, 0, 0, p);
  }

  RawH2 settings() {
    return frame(SETTINGS, 0, 0, new byte[0]);
  }

  /** Sends everything written so far. */
  RawH2 flush() throws IOException {
    out.write(pending.toByteArray());
    out.flush();
    pending.reset();
    return this;
  }

  /** The next frame, or null when the connection closed, was reset or stayed silent ({@link #end()} says which). */
  Frame next() {
    try {
      byte[] head = new byte[9];
      in.readFully(head);
      int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
      int streamId = (head[5] & 0x7f) << 24 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      int type = head[3] & 0xff;
      Http2Headers decoded = null;
      if (type == HEADERS) {
        // Every block is decoded, in order: HPACK's dynamic table must follow the server's.
        try {
          decoded = decoder.decodeHeaders(streamId, Unpooled.wrappedBuffer(payload));
        } catch (Exception e) {
          throw new AssertionError("undecodable response headers", e);
        }
      }
      return new Frame(type, head[4] & 0xff, streamId, payload, decoded);
    } catch (EOFException e) {
      end = End.CLOSED;
    } catch (SocketTimeoutException e) {
      end = End.TIMED_OUT;
    } catch (SocketException e) {
      end = End.RESET;
    } catch (IOException e) {
      end = End.RESET;
    }
    return null;
  }

  End end() {
    return end;
  }

  /** The first frame of {@code type} (on {@code streamId}, or any stream when negative); null when none came. */
  Frame await(int type, int streamId) {
    for (Frame f = next(); f != null; f = next()) {
      if (f.type() == type && (streamId < 0 || f.streamId() == streamId)) {
        return f;
      }
    }
    return null;
  }

  /** The first RST_STREAM or HEADERS of {@code streamId}, or a GOAWAY; null when none came. */
  Frame awaitAnswer(int streamId) {
    for (Frame f = next(); f != null; f = next()) {
      if (f.type() == GOAWAY || (f.type() == RST_STREAM || f.type() == HEADERS) && f.streamId() == streamId) {
        return f;
      }
    }
    return null;
  }

  /** The {@code :status} of a HEADERS frame. */
  static String status(Frame headers) {
    return String.valueOf(headers.headers().status());
  }

  private byte[] encode(Http2Headers headers) {
    ByteBuf buf = Unpooled.buffer();
    try {
      encoder.encodeHeaders(1, headers, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } catch (Exception e) {
      throw new AssertionError("cannot encode " + headers, e);
    } finally {
      buf.release();
    }
  }

  private static byte[] slice(byte[] b, int from, int n) {
    byte[] s = new byte[n];
    System.arraycopy(b, from, s, 0, n);
    return s;
  }

  private static byte[] int32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
