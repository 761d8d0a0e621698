package dev.grok.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local TCP service for TCP tunnel tests on 127.0.0.1 (port 0): every accepted connection runs {@code behaviour}
 * on a virtual thread, which closes the socket when it returns. {@link #echo()} sends back what it reads and
 * half-closes after the visitor's FIN.
 */
final class LocalTcpService implements AutoCloseable {
  /** What the service does with one connection. */
  @FunctionalInterface
  interface Behaviour {
    void serve(Socket socket) throws IOException;
  }

  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger accepted = new AtomicInteger();

  private LocalTcpService(ServerSocket listener, Behaviour behaviour) {
    this.listener = listener;
    threads.execute(() -> {
      while (!listener.isClosed()) {
        try {
          Socket s = listener.accept();
          accepted.incrementAndGet();
          threads.execute(() -> {
            try (s) {
              behaviour.serve(s);
            } catch (IOException e) {
              // the visitor reset or left: nothing to report from the service side
            }
          });
        } catch (IOException e) {
          return; // closed
        }
      }
    });
  }

  static LocalTcpService start(Behaviour behaviour) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new LocalTcpService(s, behaviour);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }

  /** Echoes everything until the visitor's FIN, then half-closes: the visitor sees EOF after the last byte. */
  static LocalTcpService echo() {
    return start(LocalTcpService::echo);
  }

  static void echo(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    in.transferTo(out);
    s.shutdownOutput();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** {@code 127.0.0.1:PORT}, a TCP target. */
  String hostAndPort() {
    return "127.0.0.1:" + port();
  }

  int accepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
