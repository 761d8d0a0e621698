package dev.grok.cli.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A self-signed certificate (EC P-256) for a host and its wildcard, as PEM text. The JDK has no public API to
 * build a certificate with a subjectAltName, so the JDK's own {@code keytool} makes one into a throw-away PKCS#12
 * store in a private temporary directory, from which the certificate and the PKCS#8 key are read back.
 *
 * @param certificatePem {@code -----BEGIN CERTIFICATE-----} block
 * @param privateKeyPem {@code -----BEGIN PRIVATE KEY-----} block (PKCS#8)
 */
public record SelfSignedCertificate(String certificatePem, String privateKeyPem) {
  private static final Pattern DNS_NAME =
      Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final String ALIAS = "grok";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  /**
   * Generates a certificate whose subjectAltName is {@code host} and {@code *.host} (only the address when
   * {@code host} is an IP address), valid for {@code validityDays}.
   */
  public static SelfSignedCertificate generate(String host, int validityDays) throws IOException {
    String san = subjectAltName(host);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      throw new IOException("keytool not found at " + keytool + " (gencert needs a full JDK)");
    }
    Path dir = Files.createTempDirectory("grok-gencert",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      Path store = dir.resolve("grok.p12");
      byte[] secret = new byte[18];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      // The password travels on keytool's command line, readable by this user only for about a second; it
      // protects a store that lives only inside a private directory and is deleted below.
      Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-noprompt",
          "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
          "-dname", "CN=" + host, "-ext", "san=" + san, "-ext", "bc:c=ca:false",
          "-validity", Integer.toString(validityDays), "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", password, "-keypass", password)
          .redirectErrorStream(true)
          .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("keytool failed (exit " + process.exitValue() + "): " + output.strip());
      }
      return read(store, password.toCharArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating the certificate", e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** {@code dns:H,dns:*.H} for a name, {@code ip:H} for an address; rejects anything else. */
  static String subjectAltName(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: '' (expected: a DNS name such as example.com)");
    }
    if (IPV4.matcher(host).matches() || (host.contains(":") && IPV6.matcher(host).matches())) {
      return "ip:" + host;
    }
    if (host.length() > 253 || !DNS_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException("host: '" + host + "' (expected: a DNS name such as example.com)");
    }
    return "dns:" + host + ",dns:*." + host;
  }

  private static SelfSignedCertificate read(Path store, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, password);
      PrivateKey key = (PrivateKey) keyStore.getKey(ALIAS, password);
      Certificate cert = keyStore.getCertificate(ALIAS);
      return new SelfSignedCertificate(pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the generated certificate: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }
}
