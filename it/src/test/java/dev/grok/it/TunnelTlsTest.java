package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.RecordingListener;
import dev.grok.client.TunnelTls;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the tunnel port: a client trusting the server's certificate (--tls-ca) forwards; one that does not trust
 * it, or that speaks plain text to the TLS port, says why and keeps retrying like after any network failure.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class TunnelTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().tls().build();

  /** A client of the admin for tunnel {@code name} to the origin, to the TLS tunnel port with {@code tls}. */
  private static TestClient startTls(String name, TunnelTls tls) {
    return TestClient.startTls(tunnel.server(), tunnel.server().adminToken(), name, tunnel.origin().hostAndPort(), tls);
  }

  @Test
  void clientTrustingTheCertificateForwardsAndAnnouncesTheHttpsUrl() throws Exception {
    try (TestClient client = startTls("tlsca", TunnelTls.trust(tunnel.server().certificate()))) {
      String url = client.awaitReady();

      assertThat(url).isEqualTo("https://tlsca.localhost:" + tunnel.server().httpsPort());
      try (RawHttpConnection c = RawHttp.connect("127.0.0.1", tunnel.httpPort(), WAIT)) {
        RawResponse response = c.exchange(RawRequest.get("/over-tls").host(tunnel.host("tlsca")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
      }
    }
  }

  @Test
  void insecureClientConnectsWithoutTrust() {
    try (TestClient client = startTls("tlsinsecure", TunnelTls.INSECURE)) {
      assertThat(client.awaitReady()).startsWith("https://tlsinsecure.localhost:");
    }
  }

  @Test
  void clientNotTrustingTheCertificateSaysSoAndKeepsRetrying() {
    try (TestClient client = startTls("tlsuntrusted", TunnelTls.SYSTEM_TRUST)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        RecordingListener.Event e = client.listener().next(WAIT);
        assertThat(e.type()).as("attempt %d: %s", attempt, e).isEqualTo("reconnecting");
        assertThat(e.message()).containsIgnoringCase("certificate").contains("--tls-ca");
      }
      assertThat(client.client().terminated()).isNotDone();
    }
  }

  @Test
  void plainClientOnTheTlsPortSaysSoAndKeepsRetrying() {
    try (TestClient client = startTls("tlsplain", TunnelTls.PLAINTEXT)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        RecordingListener.Event e = client.listener().next(WAIT);
        assertThat(e.type()).as("attempt %d: %s", attempt, e).isEqualTo("reconnecting");
        assertThat(e.message()).contains("TLS").contains("https://");
      }
      assertThat(client.client().terminated()).isNotDone();
    }
  }

  @Test
  void tlsClientOnAPlainPortSaysSoAndKeepsRetrying(@TempDir Path plainData) {
    try (TestServer plain = TestServer.start(plainData);
        TestClient client = TestClient.startTls(plain, plain.adminToken(), "tlstoplain", tunnel.origin().hostAndPort(),
            TunnelTls.trust(tunnel.server().certificate()))) {
      for (int attempt = 0; attempt < 2; attempt++) {
        RecordingListener.Event e = client.listener().next(WAIT);
        assertThat(e.type()).as("attempt %d: %s", attempt, e).isEqualTo("reconnecting");
        assertThat(e.message()).contains("does not speak TLS");
      }
      assertThat(client.client().terminated()).isNotDone();
    }
  }
}
