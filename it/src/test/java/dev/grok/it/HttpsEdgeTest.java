package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.process.GrokProcess;
import dev.grok.testing.process.JavaProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS edge with a {@code gencert}-style certificate: visitors trusting it reach the tunnel over HTTP/1.1 or
 * h2 (by ALPN), the local service learns {@code X-Forwarded-Proto: https}, and the client (trusting the same
 * certificate on the tunnel port) announces the https URL.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class HttpsEdgeTest {
  private static final String NAME = "secure";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).tls().build();
  static HttpClient visitor;

  @BeforeAll
  static void start() throws Exception {
    visitor = tunnel.closing(HttpClient.newBuilder().sslContext(trusting(tunnel.server().certificate())).build());
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("grok", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  private static URI url(String path) {
    return URI.create(tunnel.client().publicUrl() + path);
  }

  @Test
  void publicUrlIsTheHttpsEdge() {
    assertThat(tunnel.client().publicUrl()).isEqualTo("https://" + NAME + ".localhost:" + tunnel.server().httpsPort());
  }

  @Test
  void http11VisitorReachesTheLocalServiceWithForwardedProtoHttps() throws Exception {
    HttpResponse<String> response = visitor.send(HttpRequest.newBuilder(url("/proto/h1"))
        .version(HttpClient.Version.HTTP_1_1).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.body()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
    assertThat(OriginRequests.take(tunnel.origin(), "/proto/h1").header("X-Forwarded-Proto")).isEqualTo("https");
  }

  @Test
  void h2ByAlpnCarriesMegabyteBodiesByteExact() throws Exception {
    byte[] body = BytePattern.bytes(1024 * 1024);
    HttpResponse<byte[]> response = visitor.send(HttpRequest.newBuilder(url("/echo/h2-tls"))
        .version(HttpClient.Version.HTTP_2).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    var seen = OriginRequests.take(tunnel.origin(), "/echo/h2-tls");
    assertThat(seen.bodySha256()).isEqualTo(Sha256.hex(body));
    assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
  }

  @Test
  void curlNegotiatesH2AndHttp11ByAlpn() throws Exception {
    String host = NAME + ".localhost:" + tunnel.server().httpsPort();
    for (String[] version : new String[][] {{"--http2", "2"}, {"--http1.1", "1.1"}}) {
      ExternalTool run = ExternalTool.run(WAIT, List.of("curl", "-sS", "-k", version[0], "--max-time", "60",
          "--resolve", host + ":127.0.0.1", "-w", "\n%{http_version}", "https://" + host + "/curl-tls"));

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY + "\n" + version[1]);
    }
  }

  @Test
  void insecureClientProcessWarnsAndForwards(@TempDir Path home) throws Exception {
    Path cliTarget = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../cli/target")
        .normalize();
    JavaProcess.Builder builder = JavaProcess.builder("grok-insecure").jar(cliTarget.resolve("grok.jar"))
        .jvmArgs("-Duser.home=" + home)
        .args("http", String.valueOf(tunnel.origin().port()), "--subdomain", "insecure", "--server",
            "localhost:" + tunnel.server().tunnelPort(), "--token", tunnel.server().adminToken(), "--tls-insecure",
            "--no-inspect")
        .workingDirectory(home);
    System.getenv().keySet().stream().filter(k -> k.startsWith("GROK_")).forEach(builder::removeEnv);
    try (GrokProcess insecure = GrokProcess.start(builder)) {
      GrokProcess.Forwarding forwarding = insecure.awaitForwarding(WAIT);

      assertThat(forwarding.publicUrl()).isEqualTo("https://insecure.localhost:" + tunnel.server().httpsPort());
      assertThat(insecure.process().stderrLines()).anyMatch(l -> l.contains("warning: --tls-insecure"));
      HttpResponse<String> response = visitor.send(
          HttpRequest.newBuilder(URI.create(forwarding.publicUrl() + "/via-insecure")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }
}
