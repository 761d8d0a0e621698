package dev.grok.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.Invocation;
import dev.grok.cli.ServerMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir
  Path dataDir;

  @Test
  void startupFailureExitsOneWithAMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      Invocation run = Invocation.run(ServerMain.commandLine(Map.of()), "--bind", "127.0.0.1",
          "--http-port", Integer.toString(taken.getLocalPort()), "--tunnel-port", "0", "--admin-port", "0",
          "--data-dir", dataDir.toString());

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).startsWith("grok-server: could not start: ");
      assertThat(run.out()).doesNotContain("listening");
    }
  }

  @Test
  void missingCertificateFileStopsTheStartNamingTheFile() {
    Invocation run = Invocation.run(ServerMain.commandLine(Map.of()), "serve", "--bind", "127.0.0.1",
        "--tls-cert", "missing-c.pem", "--tls-key", "missing-k.pem", "--http-port", "0", "--https-port", "0",
        "--tunnel-port", "0", "--admin-port", "0", "--data-dir", dataDir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("could not start").contains("missing-c.pem is not a readable file");
    assertThat(run.out()).doesNotContain("listening");
  }
}
