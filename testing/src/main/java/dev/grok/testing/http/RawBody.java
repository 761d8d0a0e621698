package dev.grok.testing.http;

import dev.grok.testing.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.List;

/**
 * A response body read off the wire as it arrives, framing removed: a fixed length, chunked (extensions
 * ignored, trailers kept), or until the peer closes. Ends early with {@link ConnectionClosedException} when the
 * connection ends before the framing says the body does.
 */
public final class RawBody extends InputStream {
  static final long CHUNKED = -1;
  static final long UNTIL_CLOSE = -2;

  private final RawHttpConnection connection;
  private final long mode;
  /** Bytes left in the body (fixed length) or in the current chunk (chunked). */
  private long left;
  private boolean done;
  private List<Header> trailers = List.of();

  RawBody(RawHttpConnection connection, long lengthOrMode) {
    this.connection = connection;
    this.mode = lengthOrMode;
    this.left = lengthOrMode >= 0 ? lengthOrMode : 0;
    this.done = lengthOrMode == 0;
  }

  boolean isChunked() {
    return mode == CHUNKED;
  }

  /** Trailer lines of a chunked body, once it was read to its end (empty before, and for other framings). */
  public List<Header> trailers() {
    return trailers;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (done) {
      return -1;
    }
    if (mode == UNTIL_CLOSE) {
      return readUntilClose(buffer, offset, length);
    }
    if (mode == CHUNKED && left == 0 && !nextChunk()) {
      return -1;
    }
    int n = connection.read(buffer, offset, (int) Math.min(length, left));
    if (n == -1) {
      throw new ConnectionClosedException("connection closed with " + left + " body bytes still expected",
          connection.seenSoFar(), false, null);
    }
    left -= n;
    if (left == 0 && mode >= 0) {
      done = true;
    } else if (left == 0) {
      String end = connection.readLine(false);
      if (!end.isEmpty()) {
        throw new IOException("chunk not followed by CRLF but: " + end);
      }
    }
    return n;
  }

  /** Reads the next chunk-size line; false at the last chunk (after reading the trailers). */
  private boolean nextChunk() throws IOException {
    String sizeLine = connection.readLine(false);
    int semicolon = sizeLine.indexOf(';');
    String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
    long size;
    try {
      size = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("not a chunk-size line: " + sizeLine, e);
    }
    if (size == 0) {
      trailers = List.copyOf(connection.readHeaderBlock());
      done = true;
      return false;
    }
    left = size;
    return true;
  }

  private int readUntilClose(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = connection.read(buffer, offset, length);
      if (n == -1) {
        done = true;
      }
      return n;
    } catch (ConnectionClosedException e) {
      // A close-delimited body ends at the reset as at an orderly close.
      done = true;
      return -1;
    } catch (SocketException e) {
      if (RawHttpConnection.isReset(e)) {
        done = true;
        return -1;
      }
      throw e;
    }
  }
}
