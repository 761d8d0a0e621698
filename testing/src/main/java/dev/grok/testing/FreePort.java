package dev.grok.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port that was free a moment ago, for the few cases where a test must hand a concrete port to a server or a child
 * process. Prefer binding port 0 in-process.
 *
 * <p>Ports come from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}, 32768-60999 by
 * default), never from it: the kernel hands ephemeral ports to every outgoing connection, so under load (a test that
 * just opened thousands of connections) a port probed free there is taken again a moment later by some connect(), and
 * ranges of consecutive free ports there are rare (the kernel spreads connections over the whole range). Below the
 * range only explicit binds take ports, and a random start keeps test JVMs that run side by side apart.
 */
public final class FreePort {
  private static final int ATTEMPTS = 200;
  /** The lowest port handed out: above the ports of well-known and commonly installed services. */
  private static final int LOWEST = 20_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private FreePort() {}

  /** A single port that was free (bound and released on 127.0.0.1), outside the ephemeral range. */
  public static int find() {
    return findRange(1);
  }

  /** The first port of {@code count} consecutive ports that were all free (e.g. for {@code --tcp-ports A-B}). */
  public static int findRange(int count) {
    if (count <= 0 || count > 1000) {
      throw new IllegalArgumentException("count: " + count + " (expected: 1..1000)");
    }
    int[] region = region();
    int span = region[1] - region[0] + 1 - count;
    if (span <= 0) {
      throw new IllegalStateException("no room for " + count + " ports in " + region[0] + "-" + region[1]);
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int first = region[0] + ThreadLocalRandom.current().nextInt(span + 1);
      if (allFree(first, count)) {
        return first;
      }
    }
    throw new IllegalStateException(
        "no " + count + " consecutive free ports in " + region[0] + "-" + region[1] + " after " + ATTEMPTS + " tries");
  }

  /** Ports {@code [low, high]} that the kernel never hands to connect() or bind(0). */
  static int[] region() {
    int ephemeralLow = 32_768;
    int ephemeralHigh = 60_999;
    try {
      String[] parts = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
      ephemeralLow = Integer.parseInt(parts[0]);
      ephemeralHigh = Integer.parseInt(parts[1]);
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: keep the kernel's default range
      // (readAllLines, not readString: a /proc file may report a size that readString trusts and stops at)
    }
    if (ephemeralLow - LOWEST >= 2_000) {
      return new int[] {LOWEST, ephemeralLow - 1};
    }
    if (65_535 - ephemeralHigh >= 2_000) {
      return new int[] {ephemeralHigh + 1, 65_535};
    }
    return new int[] {LOWEST, 65_535}; // the ephemeral range covers nearly everything: probe anywhere
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
