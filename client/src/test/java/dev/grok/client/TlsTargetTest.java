package dev.grok.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@code https://} target: the local service is reached over TLS, its self-signed certificate accepted. */
class TlsTargetTest extends ClientTestBase {

  @Test
  void httpsTargetWithASelfSignedCertificateIsReached(@TempDir Path dir) throws Exception {
    try (RecordingOrigin tlsOrigin = new RecordingOrigin(selfSigned(dir))) {
      startClient(FakeTunnelServer.TOKEN, "demo", null, "https://127.0.0.1:" + tlsOrigin.port());
      RecordingListener.Event ready = listener.next(WAIT);
      assertThat(ready.localUrl()).isEqualTo("https://127.0.0.1:" + tlsOrigin.port());
      FakeStream stream = tunnel.nextStream(WAIT);

      stream.sendRequest("GET", "/secure", List.of(), null);

      assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
      assertThat(tlsOrigin.nextRequest(WAIT).uri()).isEqualTo("/secure");
      client.close(); // before the origin: a TLS origin closing first waits for close_notify to flush
    }
  }

  /** A server context from a certificate made by the JDK's keytool (no test-only crypto library needed). */
  private static SslContext selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("local.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "local", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit")
        .redirectErrorStream(true).start();
    keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new AssertionError("keytool failed");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    return SslContextBuilder.forServer(kmf).build();
  }
}
