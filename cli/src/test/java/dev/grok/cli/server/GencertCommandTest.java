package dev.grok.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.Invocation;
import dev.grok.cli.ServerMain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GencertCommandTest {
  private static final int DNS_NAME = 2;

  @TempDir
  Path dir;

  @Test
  void writesCertificateForHostAndWildcardWithMatchingPkcs8Key() throws Exception {
    Path out = dir.resolve("certs");

    Invocation run = Invocation.run(ServerMain.commandLine(Map.of()), "gencert", "--host", "tunnel.example.test",
        "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    X509Certificate cert = certificate(out.resolve("grok.crt"));
    assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(DNS_NAME, "tunnel.example.test"), List.of(DNS_NAME, "*.tunnel.example.test"));
    cert.verify(cert.getPublicKey());
    PrivateKey key = privateKey(out.resolve("grok.key"));
    assertSignsFor(key, cert);
    assertThat(Files.getPosixFilePermissions(out.resolve("grok.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(run.out()).contains("grok.crt").contains("tunnel.example.test and *.tunnel.example.test");
  }

  @Test
  void defaultHostIsLocalhost() throws Exception {
    Invocation run = Invocation.run(ServerMain.commandLine(Map.of()), "gencert", "--out=" + dir);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(certificate(dir.resolve("grok.crt")).getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(DNS_NAME, "localhost"), List.of(DNS_NAME, "*.localhost"));
  }

  @Test
  void existingFilesAreKeptUnlessForced() throws Exception {
    Files.writeString(dir.resolve("grok.crt"), "mine");

    Invocation refused = Invocation.run(ServerMain.commandLine(Map.of()), "gencert", "--out", dir.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("exists").contains("--force");
    assertThat(Files.readString(dir.resolve("grok.crt"))).isEqualTo("mine");

    Invocation forced =
        Invocation.run(ServerMain.commandLine(Map.of()), "gencert", "--out", dir.toString(), "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(certificate(dir.resolve("grok.crt")).getSubjectAlternativeNames()).hasSize(2);
  }

  @Test
  void invalidHostIsAUsageError() {
    Invocation run = Invocation.run(ServerMain.commandLine(Map.of()), "gencert", "--host", "bad host,dns:x",
        "--out", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'bad host,dns:x'").contains("expected: a DNS name");
    assertThat(dir.resolve("grok.crt")).doesNotExist();
  }

  private static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file);
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  private static void assertSignsFor(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
    byte[] data = "grok".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(data);
    assertThat(verifier.verify(signature)).as("key belongs to the certificate").isTrue();
  }
}
