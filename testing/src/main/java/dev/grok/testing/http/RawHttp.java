package dev.grok.testing.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Entry points of the raw client: {@code RawHttp.exchange(port, RawRequest.get("/a%2Fb?x=1").host("x"))} for
 * one request on a fresh connection, {@link #connect} for several. Connects to {@code 127.0.0.1} unless a host
 * is given; reads time out after {@link #DEFAULT_TIMEOUT} unless another timeout is given.
 */
public final class RawHttp {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private RawHttp() {}

  public static RawHttpConnection connect(int port) throws IOException {
    return connect("127.0.0.1", port, DEFAULT_TIMEOUT);
  }

  /** Connects within {@code timeout}; each later read waits at most {@code timeout} too. */
  public static RawHttpConnection connect(String host, int port, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
      socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
      return new RawHttpConnection(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends {@code request} on a new connection, reads its final response, closes. */
  public static RawResponse exchange(int port, RawRequest request) throws IOException {
    try (RawHttpConnection connection = connect(port)) {
      return connection.exchange(request);
    }
  }

  /**
   * Sends {@code requestText} exactly (ISO-8859-1) on a new connection, reads the final response, closes. The
   * method is the text's first word (HEAD responses have no body).
   */
  public static RawResponse exchange(int port, String requestText) throws IOException {
    try (RawHttpConnection connection = connect(port)) {
      connection.send(requestText);
      int space = requestText.indexOf(' ');
      return connection.readFinalResponse(space < 0 ? requestText : requestText.substring(0, space));
    }
  }

  /** Sends {@code request} on a new connection and returns every byte received until the peer closed. */
  public static byte[] sendAndReadUntilClose(int port, byte[] request) throws IOException {
    try (RawHttpConnection connection = connect(port)) {
      connection.send(request);
      return connection.readUntilClose();
    }
  }

  /** {@link #sendAndReadUntilClose(int, byte[])} with text in and text out (ISO-8859-1). */
  public static String sendAndReadUntilClose(int port, String request) throws IOException {
    byte[] received = sendAndReadUntilClose(port, request.getBytes(StandardCharsets.ISO_8859_1));
    return new String(received, StandardCharsets.ISO_8859_1);
  }
}
