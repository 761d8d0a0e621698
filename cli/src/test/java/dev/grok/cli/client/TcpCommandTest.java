package dev.grok.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.ClientMain;
import dev.grok.cli.Invocation;
import dev.grok.client.ClientConfig;
import dev.grok.client.TunnelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TcpCommandTest {
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
    TcpCommand tcp = root.getSubcommands().get("tcp").getCommand();
    return tcp.toConfig();
  }

  @Test
  void targetAndRemotePortReachTheClientConfig() {
    ClientConfig config = config(Map.of("GROK_TOKEN", "env-token"), "tcp", "db.internal:5432", "--remote-port",
        "15432", "--server=tunnel.example.com:443");

    assertThat(config.spec()).isInstanceOf(TunnelSpec.Tcp.class);
    assertThat(((TunnelSpec.Tcp) config.spec()).remotePort()).isEqualTo(15432);
    assertThat(((TunnelSpec.Tcp) config.spec()).target().url()).isEqualTo("db.internal:5432");
    assertThat(config.token()).isEqualTo("env-token");
    assertThat(config.serverHost()).isEqualTo("tunnel.example.com");
  }

  @Test
  void withoutRemotePortAnyPortIsAskedFor() {
    ClientConfig config = config(Map.of("GROK_TOKEN", "t"), "tcp", "22");

    assertThat(((TunnelSpec.Tcp) config.spec()).remotePort()).isZero();
    assertThat(((TunnelSpec.Tcp) config.spec()).target().url()).isEqualTo("localhost:22");
  }

  @Test
  void urlTargetIsAUsageErrorSayingWhatWasExpected() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "tcp",
        "http://localhost:22");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'http://localhost:22'").contains("expected: PORT or HOST:PORT");
  }

  @Test
  void basicAuthIsRefusedForTcp() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of("GROK_TOKEN", "t"))), "tcp", "22",
        "--basic-auth", "u:p");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--basic-auth is for HTTP tunnels");
  }

  @Test
  void noTokenExitsThreeSayingInvalidToken() {
    Invocation run = Invocation.run(ClientMain.commandLine(env(Map.of())), "tcp", "22",
        "--server", "tunnel.example.com:4443");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err().toLowerCase()).contains("invalid token");
  }
}
