package dev.grok.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.ClientMain;
import dev.grok.cli.Invocation;
import dev.grok.client.ClientConfig;
import dev.grok.client.TunnelTls;
import dev.grok.client.TunnelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HttpCommandTest {
  @TempDir
  Path home;
  @TempDir
  Path workDir;

  private ClientEnvironment env(Map<String, String> vars) {
    return new ClientEnvironment(vars, home, workDir);
  }

  private ClientConfig config(Map<String, String> vars, String... args) {
    CommandLine root = ClientMain.commandLine(env(vars));
    root.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
    root.parseArgs(args);
    HttpCommand http = root.getSubcommands().get("http").getCommand();
    return http.toConfig();
  }

  @Test
  void noTokenForARemoteServerExitsThreeSayingInvalidToken() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of())), "http", "3000",
        "--server", "tunnel.example.com:4443");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err().toLowerCase()).contains("invalid token");
    assertThat(run.err()).contains("grok config set-token");
  }

  @Test
  void zeroConfigBuildsTheClientConfigFromAdminToken() throws IOException {
    Files.createDirectories(workDir.resolve("grok-data"));
    Files.writeString(workDir.resolve("grok-data/admin.token"), "admin-secret\n");

    ClientConfig config = config(Map.of(), "http", "3000");

    assertThat(config.serverHost()).isEqualTo("localhost");
    assertThat(config.serverPort()).isEqualTo(4443);
    assertThat(config.token()).isEqualTo("admin-secret");
    assertThat(((TunnelSpec.Http) config.spec()).target().url()).isEqualTo("http://localhost:3000");
    assertThat(((TunnelSpec.Http) config.spec()).subdomain()).isNull();
    assertThat(((TunnelSpec.Http) config.spec()).hostHeader()).isEqualTo("rewrite");
  }

  @Test
  void flagsReachTheClientConfig() {
    ClientConfig config = config(Map.of("GROK_TOKEN", "env-token"), "http", "http://127.0.0.1:5000",
        "--subdomain=demo", "--host-header", "preserve", "--server=tunnel.example.com:443", "--inspect-port", "0",
        "--no-inspect");

    assertThat(config.token()).isEqualTo("env-token");
    assertThat(config.serverHost()).isEqualTo("tunnel.example.com");
    assertThat(config.serverPort()).isEqualTo(443);
    assertThat(((TunnelSpec.Http) config.spec()).subdomain()).isEqualTo("demo");
    assertThat(((TunnelSpec.Http) config.spec()).hostHeader()).isEqualTo("preserve");
    assertThat(((TunnelSpec.Http) config.spec()).target().port()).isEqualTo(5000);
  }

  @Test
  void basicAuthReachesTheClientConfig() {
    ClientConfig config = config(Map.of("GROK_TOKEN", "t"), "http", "3000", "--basic-auth", "alice:s3cret:x");

    assertThat(((TunnelSpec.Http) config.spec()).basicAuth()).isEqualTo("alice:s3cret:x");
    assertThat(config.spec()).isInstanceOf(TunnelSpec.Http.class);
  }

  @Test
  void malformedBasicAuthExitsTwoSayingTheExpectedForm() {
    for (String bad : new String[] {"alice", ":pw", "alice:"}) {
      Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "http", "3000",
          "--basic-auth", bad);

      assertThat(run.exitCode()).as(bad).isEqualTo(2);
      assertThat(run.err()).as(bad).contains("--basic-auth").contains("expected: USER:PASS");
    }
  }

  @Test
  void tunnelTlsFollowsTheFlagsAndTheServerAddress() throws Exception {
    Path ca = Files.writeString(Files.createTempFile("grok-ca", ".crt"), "not checked here");
    try {
      assertThat(config(Map.of("GROK_TOKEN", "t"), "http", "3000").tunnelTls()).isEqualTo(TunnelTls.PLAINTEXT);
      ClientConfig https = config(Map.of("GROK_TOKEN", "t"), "http", "3000", "--server", "https://t.example:4443");
      assertThat(https.tunnelTls()).isEqualTo(TunnelTls.SYSTEM_TRUST);
      assertThat(https.serverHost()).isEqualTo("t.example");
      assertThat(config(Map.of("GROK_TOKEN", "t"), "http", "3000", "--tls-ca", ca.toString()).tunnelTls())
          .isEqualTo(TunnelTls.trust(ca));
    } finally {
      Files.delete(ca);
    }
  }

  @Test
  void tlsCaAndInsecureExcludeEachOther() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "http", "3000",
        "--tls-insecure",
        "--tls-ca", "ca.pem");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-ca and --tls-insecure exclude each other");
  }

  @Test
  void unknownCompressionIsAUsageErrorNamingTheValidValues() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "http", "3000",
        "--compression", "brotli");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--compression").contains("'brotli' (expected: auto, gzip, zstd or none)");
  }

  @Test
  void compressionDefaultsToAutoAndTakesAnyMode() {
    assertThat(config(Map.of("GROK_TOKEN", "t"), "http", "3000").compression())
        .isEqualTo(dev.grok.common.compress.CompressionMode.AUTO);
    assertThat(config(Map.of("GROK_TOKEN", "t"), "http", "3000", "--compression", "ZSTD").compression())
        .isEqualTo(dev.grok.common.compress.CompressionMode.ZSTD);
  }

  @Test
  void unreadableCaFileIsAUsageError() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "http", "3000",
        "--tls-ca", "/nonexistent/ca.pem");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-ca: /nonexistent/ca.pem is not a readable file");
  }

  @Test
  void badTargetSaysWhatWasExpected() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "http", "ftp://x:21");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'ftp://x:21'").contains("expected: PORT, HOST:PORT or http(s)://HOST:PORT");
  }

  @Test
  void badLogFormatIsAUsageError() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of())), "http", "3000", "--log-format", "yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'yaml'").contains("expected: text or json");
  }

  @Test
  void versionPrintsProgramAndVersion() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of())), "version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).matches("grok \\S+\\R");
  }
}
