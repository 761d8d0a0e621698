package dev.grok.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A port that was free a moment ago, for the few cases where a test must hand a concrete port to a child
 * process. Prefer binding port 0 in-process: another process may take the port between this call and its use.
 */
public final class FreePort {
  private static final int RANGE_ATTEMPTS = 50;

  private FreePort() {}

  /** Binds 127.0.0.1:0, reads the port, closes. */
  public static int find() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind an ephemeral loopback port", e);
    }
  }

  /** The first port of {@code count} consecutive ports that were all free (e.g. for {@code --tcp-ports A-B}). */
  public static int findRange(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
    }
    for (int attempt = 0; attempt < RANGE_ATTEMPTS; attempt++) {
      int first = find();
      if (first + count - 1 <= 65535 && allFree(first, count)) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports after " + RANGE_ATTEMPTS + " attempts");
  }

  private static boolean allFree(int first, int count) {
    for (int port = first; port < first + count; port++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
