package dev.grok.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.client.ClientConfig.LocalTarget;
import org.junit.jupiter.api.Test;

class TcpTargetTest {
  @Test
  void barePortIsOnLocalhost() {
    LocalTarget t = LocalTarget.parseTcp("22");

    assertThat(t.host()).isEqualTo("localhost");
    assertThat(t.port()).isEqualTo(22);
    assertThat(t.url()).isEqualTo("localhost:22");
  }

  @Test
  void hostAndPortIsKeptAsGiven() {
    LocalTarget t = LocalTarget.parseTcp("db.internal:5432");

    assertThat(t.host()).isEqualTo("db.internal");
    assertThat(t.port()).isEqualTo(5432);
    assertThat(t.url()).isEqualTo("db.internal:5432");
    assertThat(LocalTarget.parseTcp("[::1]:6379").host()).isEqualTo("::1");
  }

  @Test
  void urlsAndBadPortsAreRefusedSayingWhatWasExpected() {
    for (String bad : new String[] {"http://localhost:22", "0", "70000", "host:", ":22", "host", ""}) {
      assertThatThrownBy(() -> LocalTarget.parseTcp(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("expected: PORT or HOST:PORT");
    }
  }

  @Test
  void tcpConfigCarriesKindAndRemotePort() {
    ClientConfig c = ClientConfig.tcp("example.com", 4443, "t", LocalTarget.parseTcp("22"), 10022);

    assertThat(c.spec()).isInstanceOf(TunnelSpec.Tcp.class);
    assertThat(((TunnelSpec.Tcp) c.spec()).remotePort()).isEqualTo(10022);
    assertThat(new ClientConfig("h", 1, "t", LocalTarget.parse("80"), null, null).spec())
        .isInstanceOf(TunnelSpec.Http.class);
    assertThatThrownBy(() -> ClientConfig.tcp("h", 1, "t", LocalTarget.parseTcp("22"), 70000))
        .hasMessageContaining("remote port: 70000");
  }
}
