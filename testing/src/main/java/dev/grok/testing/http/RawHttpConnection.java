package dev.grok.testing.http;

import dev.grok.testing.Header;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client connection that writes whatever bytes it is given and reads responses off the wire, for
 * keep-alive and pipelining tests. Every read waits at most the connection's read timeout ({@link
 * java.net.SocketTimeoutException} after). Not thread-safe, except that one thread may send while another
 * reads (as a full-duplex relay test needs).
 */
public final class RawHttpConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  /** Bytes of the response being read, kept for the failure message when the peer closes mid-response. */
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

  RawHttpConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = socket.getOutputStream();
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends {@code text} as ISO-8859-1 bytes (one byte per char), exactly. */
  public void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends everything {@code body} holds, in 64 KiB writes (another thread may read responses meanwhile). */
  public void send(InputStream body) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = body.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    out.flush();
  }

  public void send(RawRequest request) throws IOException {
    send(request.toBytes());
  }

  /** Sends the request and reads its final response (interim 1xx responses skipped). */
  public RawResponse exchange(RawRequest request) throws IOException {
    send(request);
    return readFinalResponse(request.method());
  }

  /** Half-closes: the peer sees the end of the request stream, responses can still be read. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** The next response to a GET-like request (a 1xx included). */
  public RawResponse readResponse() throws IOException {
    return readResponse("GET");
  }

  /** The next response, interim 1xx included; {@code requestMethod} tells whether a body may follow (HEAD). */
  public RawResponse readResponse(String requestMethod) throws IOException {
    StreamingResponse response = readStreamingResponse(requestMethod);
    byte[] body = response.body().readAllBytes();
    return new RawResponse(response.version(), response.status(), response.reason(), response.headers(), body,
        response.body().trailers(), response.chunked());
  }

  /**
   * The next response's head, its body left on the wire behind {@link StreamingResponse#body()}, which removes
   * the framing as it is read (for bodies too large to hold). Read the body to its end before the next response.
   */
  public StreamingResponse readStreamingResponse(String requestMethod) throws IOException {
    seen.reset();
    String statusLine = readLine(true);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    String reason = parts.length == 3 ? parts[2] : "";
    List<Header> headers = readHeaderBlock();
    boolean bodyless = "HEAD".equalsIgnoreCase(requestMethod) || status / 100 == 1 || status == 204
        || status == 304;
    String transferEncoding = Header.first(headers, "Transfer-Encoding");
    String contentLength = Header.first(headers, "Content-Length");
    RawBody body;
    if (bodyless) {
      body = new RawBody(this, 0);
    } else if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).trim().endsWith("chunked")) {
      body = new RawBody(this, RawBody.CHUNKED);
    } else if (contentLength != null) {
      body = new RawBody(this, Long.parseLong(contentLength.trim()));
    } else {
      body = new RawBody(this, RawBody.UNTIL_CLOSE);
    }
    return new StreamingResponse(parts[0], status, reason, headers, body, body.isChunked());
  }

  /** The next final response, skipping interim 1xx ones. */
  public RawResponse readFinalResponse(String requestMethod) throws IOException {
    while (true) {
      RawResponse response = readResponse(requestMethod);
      if (response.status() / 100 != 1 || response.status() == 101) {
        return response;
      }
    }
  }

  /** Everything until the peer closes or resets the connection (empty when it closes without a byte). */
  public byte[] readUntilClose() throws IOException {
    seen.reset();
    return readToEnd();
  }

  List<Header> readHeaderBlock() throws IOException {
    List<Header> headers = new ArrayList<>();
    for (String line; !(line = readLine(false)).isEmpty(); ) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not a header line: " + line);
      }
      headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
    }
    return headers;
  }

  /** A line without its CRLF (a bare LF is accepted); {@code first}: the connection may end before it. */
  String readLine(boolean first) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = read();
      if (b == -1) {
        String what = first && seen.size() == 0 ? "connection closed before a response"
            : "connection closed in the middle of a response";
        throw new ConnectionClosedException(what, seen.toByteArray(), false, null);
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }

  private byte[] readToEnd() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        body.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      if (!isReset(e)) {
        throw e;
      }
    }
    seen.writeBytes(body.toByteArray());
    return body.toByteArray();
  }

  int read() throws IOException {
    try {
      int b = in.read();
      if (b != -1 && seen.size() < 64 * 1024) {
        seen.write(b);
      }
      return b;
    } catch (SocketException e) {
      throw closed(e);
    }
  }

  int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = in.read(buffer, offset, length);
      if (n > 0 && seen.size() < 64 * 1024) {
        seen.write(buffer, offset, Math.min(n, 64 * 1024 - seen.size()));
      }
      return n;
    } catch (SocketException e) {
      throw closed(e);
    }
  }

  byte[] seenSoFar() {
    return seen.toByteArray();
  }

  private IOException closed(SocketException e) {
    return isReset(e) ? new ConnectionClosedException("connection reset", seen.toByteArray(), true, e) : e;
  }

  static boolean isReset(SocketException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("reset") || message.contains("broken pipe");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
