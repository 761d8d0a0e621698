package dev.grok.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

  private static ServerSocket bind(int port) throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }
}
