package dev.grok.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a local port that can turn into a black hole: from {@link #blackhole()} on,
 * bytes in both directions are read and dropped and no connection is closed, as when a laptop vanishes from the
 * network. Neither end notices until its own timeouts fire. One blocking thread per direction.
 */
final class BlackholeRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackholed;

  BlackholeRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform().daemon().name("relay-accept").start(this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on every byte is dropped; connections stay open. */
  void blackhole() {
    blackholed = true;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket visitor = listener.accept();
        sockets.add(visitor);
        Socket target = new Socket();
        sockets.add(target);
        target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        pump(visitor, target);
        pump(target, visitor);
      } catch (IOException e) {
        // the listener closed, or the target refused this one connection: keep accepting while open
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform().daemon().name("relay-pump").start(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        // Not closed by this thread: closing a socket's stream closes the socket, both directions.
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        for (int n; (n = in.read(buffer)) != -1; ) {
          if (!blackholed) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
        if (!blackholed) {
          to.shutdownOutput();
        }
      } catch (IOException e) {
        // one side is gone: closing both below ends the other direction too
      } finally {
        if (!blackholed) {
          closeQuietly(from);
          closeQuietly(to);
        }
      }
    });
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
