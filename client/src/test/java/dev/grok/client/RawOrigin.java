package dev.grok.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local service written on plain blocking sockets, for behaviour a well-behaved HTTP server does not show: each
 * request head is passed to a {@link Script} with the connection's request count, which decides what to send back.
 */
final class RawOrigin implements AutoCloseable {
  /** What to do with one request head (bodies are not read unless the script reads them). */
  interface Script {
    /** Returns false to close the connection. */
    boolean onRequest(String head, int requestOnConnection, InputStream in, OutputStream out) throws IOException;
  }

  private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final Script script;
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();

  RawOrigin(Script script) throws IOException {
    this.script = script;
    Thread.ofVirtual().name("raw-origin-accept").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().name("raw-origin-conn").start(() -> serve(s));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int n = 1; ; n++) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        requests.incrementAndGet();
        if (!script.onRequest(head, n, in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** The request head up to the blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  static void write(OutputStream out, String response) throws IOException {
    out.write(response.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
