package dev.grok.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A one-connection server on loopback that reads one request head, writes canned bytes, then closes or resets. */
final class CannedServer implements AutoCloseable {
  private final ServerSocket server;
  private final CompletableFuture<String> requestHead = new CompletableFuture<>();

  CannedServer(String response, boolean reset) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform().daemon().name("canned-server").start(() -> serve(response, reset));
  }

  int port() {
    return server.getLocalPort();
  }

  /** The request head the server read (up to and including the blank line). */
  String awaitRequestHead() throws Exception {
    return requestHead.get(10, TimeUnit.SECONDS);
  }

  private void serve(String response, boolean reset) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b == -1) {
          break;
        }
        head.write(b);
      }
      requestHead.complete(head.toString(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (reset) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      requestHead.completeExceptionally(e);
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
