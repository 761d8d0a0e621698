package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.FreePort;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.process.GrokProcess;
import dev.grok.testing.process.JavaProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector flags of the shipped {@code grok} launcher: on by default at {@code --inspect-port}, off with
 * {@code --no-inspect}, and a port already taken costs only a warning. stdout stays the contract's plain lines.
 */
@Timeout(120)
class InspectorProcessTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  static Path work;
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().build();
  static Path clientJar;
  private final List<GrokProcess> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    clientJar = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../cli/target/grok.jar")
        .normalize();
    assertThat(clientJar).as("the client launcher jar (build it: ./mvnw -pl cli -am package)").isRegularFile();
  }

  @AfterEach
  void stopClients() {
    started.forEach(GrokProcess::close);
  }

  private GrokProcess client(String name, String... inspectFlags) {
    JavaProcess.Builder b = JavaProcess.builder("grok-" + name).jar(clientJar).workingDirectory(work)
        .jvmArgs("-Duser.home=" + work)
        .args("http", String.valueOf(tunnel.origin().port()), "--subdomain", name, "--server",
            "127.0.0.1:" + tunnel.server().tunnelPort(), "--token", tunnel.server().adminToken())
        .args(inspectFlags);
    System.getenv().keySet().stream().filter(k -> k.startsWith("GROK_")).forEach(b::removeEnv);
    GrokProcess p = GrokProcess.start(b);
    started.add(p);
    return p;
  }

  private static int visit(String name) throws IOException {
    return RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host(name))).status();
  }

  private static void connect(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
    }
  }

  @Test
  void inspectorAnswersOnTheInspectPortByDefault() throws IOException {
    int port = FreePort.find();
    GrokProcess p = client("inspect-on", "--inspect-port", String.valueOf(port));
    p.awaitForwarding(START_TIMEOUT);

    var status = new InspectorHttp("http://127.0.0.1:" + port).json("/api/status");
    assertThat(status.path("connected").asBoolean()).isTrue();
    assertThat(status.path("public_url").asText()).isEqualTo(tunnel.server().publicUrl("inspect-on"));
    assertThat(p.process().stdoutLines().getFirst()).startsWith("Forwarding ");
  }

  @Test
  void noInspectLeavesThePortClosed() throws IOException {
    int port = FreePort.find();
    GrokProcess p = client("inspect-off", "--inspect-port", String.valueOf(port), "--no-inspect");
    p.awaitForwarding(START_TIMEOUT);
    assertThat(visit("inspect-off")).isEqualTo(200);

    assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
  }

  @Test
  void aTakenPortIsAWarningAndTheTunnelStillWorks() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      GrokProcess p = client("inspect-taken", "--inspect-port", String.valueOf(taken.getLocalPort()));
      GrokProcess.Forwarding f = p.awaitForwarding(START_TIMEOUT);

      assertThat(f.publicUrl()).isEqualTo(tunnel.server().publicUrl("inspect-taken"));
      assertThat(visit("inspect-taken")).isEqualTo(200);
      assertThat(p.process().awaitStderrLine(l -> l.toLowerCase(Locale.ROOT).contains("inspector not started"),
          START_TIMEOUT)).contains(String.valueOf(taken.getLocalPort()));
    }
  }
}
