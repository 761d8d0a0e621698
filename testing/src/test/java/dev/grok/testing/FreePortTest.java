package dev.grok.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortTest {
  @Test
  void foundPortCanBeBound() throws Exception {
    int port = FreePort.find();

    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void foundRangeCanBeBoundWhole() throws Exception {
    int first = FreePort.findRange(3);

    try (ServerSocket a = bind(first); ServerSocket b = bind(first + 1); ServerSocket c = bind(first + 2)) {
      assertThat(List.of(a.getLocalPort(), b.getLocalPort(), c.getLocalPort()))
          .containsExactly(first, first + 1, first + 2);
    }
  }

  @Test
  void portsComeFromOutsideTheEphemeralRange() throws Exception {
    String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
    int ephemeralLow = Integer.parseInt(range[0]);
    int ephemeralHigh = Integer.parseInt(range[1]);

    for (int i = 0; i < 20; i++) {
      int first = FreePort.findRange(5);
      // a port the kernel may hand to any connect() meanwhile would make the test that uses it flaky under load
      assertThat(first + 4 < ephemeralLow || first > ephemeralHigh)
          .as("range %d-%d vs ephemeral %d-%d", first, first + 4, ephemeralLow, ephemeralHigh)
          .isTrue();
    }
  }

  private static ServerSocket bind(int port) throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }
}
