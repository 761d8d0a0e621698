package dev.grok.server.edge.guard;

import dev.grok.common.Limits;
import dev.grok.server.edge.guard.EdgeRefusal.Refused;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level state machine of {@link Http1RequestGuard}, free of Netty's pipeline so that unit and fuzz tests
 * feed it directly: each request head is gathered whole and checked by {@link Http1HeadValidator}; each body is
 * delimited here (Content-Length counted, chunk lines parsed by {@link ChunkLine}, the CRLF after each chunk's
 * data checked, trailers checked) and re-framed in canonical form for the decoder (chunk extensions dropped, sizes
 * re-written in hex, a chunk over {@link #MAX_FORWARDED_CHUNK_BYTES} split). Only bytes of valid units are
 * emitted; the first violation throws {@link Refused}, after which the framer must not be fed again. Not
 * thread-safe: owned by one connection's event loop.
 */
final class Http1Framer {
  /** Longest request head: the request line and the header section, each at its own limit. */
  static final int MAX_HEAD_BYTES = Limits.MAX_INITIAL_LINE_BYTES + Limits.MAX_HEADER_BYTES + 4;
  /** Chunk-extension bytes one request may carry in all its chunk lines together. */
  static final int MAX_CHUNK_EXTENSION_BYTES = 4096;
  /** Longest chunk-size line: 16 hex digits, the extensions, and slack for leading zeros. */
  static final int MAX_CHUNK_LINE_BYTES = MAX_CHUNK_EXTENSION_BYTES + 64;
  /** Empty lines tolerated before a request line (RFC 9112 2.2 asks to ignore at least one). */
  static final int MAX_LEADING_EMPTY_LINES = 4;
  /** Largest chunk handed to the decoder, which counts a chunk's size in an int. */
  static final long MAX_FORWARDED_CHUNK_BYTES = 1L << 30;

  private static final byte[] CRLF = {'\r', '\n'};

  /** Where the visitor is in its byte stream. */
  enum State { HEAD, FIXED_BODY, CHUNK_LINE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS }

  /** Receives what passed, in order, and the moments the deadlines care about. */
  interface Output {
    /** Valid bytes for the decoder; the receiver owns {@code bytes}. */
    void emit(ByteBuf bytes);

    /** The first byte of a request head came. */
    void headStarted();

    /** A request head was complete and valid (emitted right after this call). */
    void headCompleted();
  }

  private final Output out;
  private State state = State.HEAD;
  /** Bytes of the head, chunk line or trailer section being gathered: pending[0, n). */
  private byte[] pending = new byte[256];
  private int n;
  /** Index in pending where the current line starts (head and trailers). */
  private int lineStart;
  /** Index in pending where the request line ends, or -1 while it has not. */
  private int requestLineEnd = -1;
  private int leadingEmptyLines;
  /** FIXED_BODY: body bytes left; CHUNK_DATA: bytes left of the visitor's chunk. */
  private long remaining;
  /** CHUNK_DATA: bytes left of the chunk announced to the decoder (a large chunk is split). */
  private long forwardLeft;
  /** CHUNK_DATA_END: 1 once the CR was seen. */
  private int delimiterBytes;
  private int extensionBudget;
  private final int[] spent = new int[1];

  Http1Framer(Output out) {
    this.out = out;
  }

  State state() {
    return state;
  }

  /** True between requests with no byte of the next head yet. */
  boolean betweenRequests() {
    return state == State.HEAD && n == 0;
  }

  /** Consumes some bytes of {@code in}; call while it is readable. */
  void step(ByteBuf in) throws Refused {
    switch (state) {
      case HEAD -> headBytes(in);
      case FIXED_BODY -> {
        int count = (int) Math.min(remaining, in.readableBytes());
        remaining -= count;
        if (remaining == 0) {
          state = State.HEAD;
        }
        out.emit(in.readRetainedSlice(count));
      }
      case CHUNK_LINE -> chunkLineBytes(in);
      case CHUNK_DATA -> {
        if (forwardLeft == 0) {
          forwardLeft = Math.min(remaining, MAX_FORWARDED_CHUNK_BYTES);
          out.emit(ascii(Long.toHexString(forwardLeft) + "\r\n"));
        }
        int count = (int) Math.min(forwardLeft, in.readableBytes());
        forwardLeft -= count;
        remaining -= count;
        out.emit(in.readRetainedSlice(count));
        if (forwardLeft == 0 && remaining > 0) {
          out.emit(Unpooled.wrappedBuffer(CRLF)); // the split's own delimiter
        } else if (remaining == 0) {
          state = State.CHUNK_DATA_END;
          delimiterBytes = 0;
        }
      }
      case CHUNK_DATA_END -> {
        byte b = in.readByte();
        if (delimiterBytes == 0 ? b != '\r' : b != '\n') {
          throw new Refused("missing_chunk_crlf", "The data of a chunk is not followed by CRLF: the chunk size "
              + "does not match its data.");
        }
        if (++delimiterBytes == 2) {
          state = State.CHUNK_LINE;
          out.emit(Unpooled.wrappedBuffer(CRLF));
        }
      }
      case TRAILERS -> trailerBytes(in);
    }
  }

  private void headBytes(ByteBuf in) throws Refused {
    if (n == 0) {
      out.headStarted();
    }
    while (in.isReadable()) {
      byte b = in.readByte();
      if (b != '\n' && n > 0 && pending[n - 1] == '\r') {
        throw new Refused("bare_cr", "The request head holds a CR that is not followed by LF.");
      }
      append(b);
      if (b == '\n') {
        if (n < 2 || pending[n - 2] != '\r') {
          throw new Refused("bare_lf", "A line of the request head ends with a bare LF; HTTP/1.1 lines end with "
              + "CRLF.");
        }
        if (n - 2 == lineStart) { // an empty line
          if (requestLineEnd < 0) {
            if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
              throw new Refused("malformed_request_line", "The connection sent empty lines instead of a request.");
            }
            n = 0;
            lineStart = 0;
            continue;
          }
          headComplete();
          return;
        }
        if (requestLineEnd < 0) {
          requestLineEnd = n - 2;
        }
        lineStart = n;
      }
      if (requestLineEnd < 0 && n > Limits.MAX_INITIAL_LINE_BYTES + 1) {
        throw new Refused(new EdgeRefusal(414, "uri_too_long", "The request line is longer than "
            + Limits.MAX_INITIAL_LINE_BYTES + " bytes. Shorten the URL."));
      }
      if (n > MAX_HEAD_BYTES || (requestLineEnd >= 0 && n - requestLineEnd - 2 > Limits.MAX_HEADER_BYTES)) {
        throw new Refused(new EdgeRefusal(431, "headers_too_large", "The request headers are larger than "
            + Limits.MAX_HEADER_BYTES + " bytes. Send fewer or smaller headers."));
      }
    }
  }

  private void headComplete() throws Refused {
    byte[] head = java.util.Arrays.copyOf(pending, n);
    resetPending();
    leadingEmptyLines = 0;
    Http1HeadValidator.Valid valid = Http1HeadValidator.validate(head);
    out.headCompleted();
    switch (valid.framing()) {
      case NONE -> state = State.HEAD;
      case FIXED -> {
        state = State.FIXED_BODY;
        remaining = valid.contentLength();
      }
      case CHUNKED -> {
        state = State.CHUNK_LINE;
        extensionBudget = MAX_CHUNK_EXTENSION_BYTES;
      }
    }
    out.emit(Unpooled.wrappedBuffer(valid.bytes()));
  }

  private void chunkLineBytes(ByteBuf in) throws Refused {
    while (in.isReadable()) {
      byte b = in.readByte();
      if (b != '\n' && n > 0 && pending[n - 1] == '\r') {
        throw new Refused("bare_cr", "A chunk-size line holds a CR that is not followed by LF.");
      }
      if (b == '\n') {
        if (n == 0 || pending[n - 1] != '\r') {
          throw new Refused("bare_lf", "A chunk-size line ends with a bare LF; it must end with CRLF.");
        }
        byte[] line = java.util.Arrays.copyOf(pending, n - 1);
        resetPending();
        long size = ChunkLine.parse(line, line.length, extensionBudget, spent);
        extensionBudget -= spent[0];
        if (size == 0) {
          state = State.TRAILERS;
        } else {
          state = State.CHUNK_DATA;
          remaining = size;
          forwardLeft = 0;
        }
        return;
      }
      append(b);
      if (n > MAX_CHUNK_LINE_BYTES) {
        throw new Refused("chunk_extension_too_long", "A chunk-size line is longer than " + MAX_CHUNK_LINE_BYTES
            + " bytes.");
      }
    }
  }

  private void trailerBytes(ByteBuf in) throws Refused {
    while (in.isReadable()) {
      byte b = in.readByte();
      if (b != '\n' && n > 0 && pending[n - 1] == '\r') {
        throw new Refused("bare_cr", "The trailer section holds a CR that is not followed by LF.");
      }
      append(b);
      if (b == '\n') {
        if (n < 2 || pending[n - 2] != '\r') {
          throw new Refused("bare_lf", "A trailer line ends with a bare LF; it must end with CRLF.");
        }
        if (n - 2 == lineStart) {
          byte[] trailers = java.util.Arrays.copyOf(pending, n);
          resetPending();
          ChunkLine.checkTrailers(trailers, trailers.length);
          state = State.HEAD;
          out.emit(Unpooled.wrappedBuffer(ascii("0\r\n"), Unpooled.wrappedBuffer(trailers)));
          return;
        }
        lineStart = n;
      }
      if (n > Limits.MAX_HEADER_BYTES) {
        throw new Refused(new EdgeRefusal(431, "headers_too_large", "The trailers are larger than "
            + Limits.MAX_HEADER_BYTES + " bytes."));
      }
    }
  }

  boolean inBody() {
    return state == State.FIXED_BODY || state == State.CHUNK_LINE || state == State.CHUNK_DATA
        || state == State.CHUNK_DATA_END || state == State.TRAILERS;
  }


  private void append(byte b) {
    if (n == pending.length) {
      pending = java.util.Arrays.copyOf(pending, n * 2);
    }
    pending[n++] = b;
  }

  private void resetPending() {
    n = 0;
    lineStart = 0;
    requestLineEnd = -1;
    if (pending.length > 4096) {
      pending = new byte[256]; // one large head does not pin its buffer for the connection's life
    }
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
  }
}
