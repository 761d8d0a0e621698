package dev.grok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad values and bad config files end with exit 2 and a message naming the value, the expectation, the source. */
class ServerOptionErrorsTest {
  @TempDir
  Path dir;

  private static Invocation serve(Map<String, String> env, String... args) {
    return Invocation.run(ServerMain.commandLine(env), args);
  }

  @Test
  void unknownYamlKeyIsNamed() throws IOException {
    Path file = dir.resolve("grok.yml");
    Files.writeString(file, "http-port: 8081\nhttp_prot: 1\n");

    Invocation run = serve(Map.of(), "--config", file.toString(), "--http-port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown key 'http_prot'").contains(file.toString()).contains("http-port");
  }

  @Test
  void missingConfigFileIsAUsageError() {
    Invocation run = serve(Map.of("GROK_SERVER_CONFIG", dir.resolve("absent.yml").toString()));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("absent.yml").contains("not found");
  }

  @Test
  void nestedYamlValueIsRejected() throws IOException {
    Path file = dir.resolve("grok.yml");
    Files.writeString(file, "domain:\n  - a\n  - b\n");

    Invocation run = serve(Map.of(), "--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("key 'domain'").contains("expected: a single value");
  }

  @Test
  void badPortFromFlagSaysValueAndExpectation() {
    Invocation run = serve(Map.of(), "--http-port", "70000");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--http-port").contains("'70000'").contains("expected: a port number 0-65535");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void badValueFromEnvironmentNamesTheVariable() {
    Invocation run = serve(Map.of("GROK_RESPONSE_TIMEOUT", "soon"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--response-timeout").contains("'soon'").contains("expected: a whole number >= 1")
        .contains("from environment variable GROK_RESPONSE_TIMEOUT");
  }

  @Test
  void badValueFromFileNamesTheFile() throws IOException {
    Path file = dir.resolve("grok.yml");
    Files.writeString(file, "log-format: xml\n");

    Invocation run = serve(Map.of(), "--config=" + file);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--log-format").contains("'xml'").contains("expected: text or json")
        .contains("from config file " + file);
  }

  @Test
  void badPortRangeAndDomainAreExplained() {
    assertThat(serve(Map.of(), "--tcp-ports", "20000-10000").err())
        .contains("'20000-10000'").contains("expected: a port range A-B");
    assertThat(serve(Map.of(), "--domain", "http://x").err())
        .contains("'http://x'").contains("expected: a DNS name");
    assertThat(serve(Map.of(), "--max-tunnels-per-user", "0").exitCode()).isEqualTo(2);
    assertThat(serve(Map.of(), "--db-url", "postgres://x").err()).contains("expected: a JDBC URL");
  }

  @Test
  void tlsKeyWithoutCertificateIsAUsageError() {
    Invocation run = serve(Map.of(), "--tls-key", "k.pem");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-cert and --tls-key go together");
  }

  @Test
  void unknownOptionSuggestsTheRightOne() {
    Invocation run = serve(Map.of(), "--http-prot", "1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--http-prot").contains("--http-port");
  }

  @Test
  void versionPrintsProgramAndVersion() {
    Invocation run = serve(Map.of(), "version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).matches("grok-server \\S+\\R");
  }
}
