package dev.grok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.server.ServeCommand;
import dev.grok.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerOptionsTest {
  @TempDir
  Path dir;

  private static ServerConfig parse(Map<String, String> env, String... args) {
    CommandLine root = ServerMain.commandLine(env);
    root.parseArgs(ServerMain.withDefaultCommand(root, args));
    ServeCommand serve = root.getSubcommands().get("serve").getCommand();
    return serve.toConfig();
  }

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("grok.yml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaultsAreTheContractsWhenNothingIsGiven() {
    ServerConfig config = parse(Map.of());

    assertThat(config.domain()).isEqualTo("localhost");
    assertThat(config.bind()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.httpsPort()).isEqualTo(8443);
    assertThat(config.tunnelPort()).isEqualTo(4443);
    assertThat(config.adminPort()).isEqualTo(4040);
    assertThat(config.tcpPorts()).isEqualTo("10000-20000");
    assertThat(config.dataDir()).isEqualTo(Path.of("./grok-data"));
    assertThat(config.dbUrl()).isNull();
    assertThat(config.tlsCert()).isNull();
    assertThat(config.maxTunnelsPerUser()).isEqualTo(10);
    assertThat(config.responseTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
    Path file = yaml("""
        http-port: 8001
        tunnel-port: 8002
        admin-port: 8003
        domain: file.example
        """);
    Map<String, String> env = Map.of(
        "GROK_SERVER_CONFIG", file.toString(),
        "GROK_HTTP_PORT", "9001",
        "GROK_TUNNEL_PORT", "9002");

    ServerConfig config = parse(env, "--http-port", "7001");

    assertThat(config.httpPort()).as("flag over env and file").isEqualTo(7001);
    assertThat(config.tunnelPort()).as("env over file").isEqualTo(9002);
    assertThat(config.adminPort()).as("file over default").isEqualTo(8003);
    assertThat(config.domain()).as("file over default").isEqualTo("file.example");
    assertThat(config.httpsPort()).as("default").isEqualTo(8443);
  }

  @Test
  void precedenceHoldsForTextPathAndDurationOptions() throws IOException {
    Path file = yaml("""
        data-dir: /from/file
        response-timeout: 30
        bind: 10.0.0.1
        max-tunnels-per-user: 3
        """);
    Map<String, String> env = Map.of("GROK_RESPONSE_TIMEOUT", "45", "GROK_DATA_DIR", "/from/env");

    ServerConfig config = parse(env, "--config", file.toString(), "--data-dir", "/from/flag");

    assertThat(config.dataDir()).isEqualTo(Path.of("/from/flag"));
    assertThat(config.responseTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.bind()).isEqualTo("10.0.0.1");
    assertThat(config.maxTunnelsPerUser()).isEqualTo(3);
  }

  @Test
  void edgeDeadlinesAndLimitsComeFromFlagEnvAndFile() throws IOException {
    Path file = yaml("""
        header-timeout: 11
        idle-timeout: 13
        max-connections: 500
        """);
    Map<String, String> env = Map.of("GROK_BODY_TIMEOUT", "12", "GROK_IDLE_TIMEOUT", "14");

    ServerConfig config = parse(env, "--config", file.toString(), "--max-connections-per-ip=9");

    assertThat(config.edgeGuard().headerTimeout()).isEqualTo(Duration.ofSeconds(11));
    assertThat(config.edgeGuard().bodyTimeout()).isEqualTo(Duration.ofSeconds(12));
    assertThat(config.edgeGuard().idleTimeout()).as("env over file").isEqualTo(Duration.ofSeconds(14));
    assertThat(config.edgeGuard().maxConnectionsPerIp()).isEqualTo(9);
    assertThat(config.edgeGuard().maxConnections()).isEqualTo(500);
  }

  @Test
  void edgeDefaultsAreTheContracts() {
    ServerConfig config = parse(Map.of());

    assertThat(config.edgeGuard().headerTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.edgeGuard().bodyTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.edgeGuard().idleTimeout()).isEqualTo(Duration.ofSeconds(75));
    assertThat(config.edgeGuard().maxConnectionsPerIp()).isEqualTo(256);
    assertThat(config.edgeGuard().maxConnections()).isEqualTo(10_000);
  }

  @Test
  void configFlagBeatsConfigEnvironmentVariable() throws IOException {
    Path fromFlag = yaml("admin-port: 5001\n");
    Path fromEnv = dir.resolve("other.yml");
    Files.writeString(fromEnv, "admin-port: 5002\n");

    ServerConfig config = parse(Map.of("GROK_SERVER_CONFIG", fromEnv.toString()), "--config=" + fromFlag);

    assertThat(config.adminPort()).isEqualTo(5001);
  }

  @Test
  void equalsFormWorksLikeSeparateValue() {
    ServerConfig config = parse(Map.of(), "--http-port=8181", "--domain=Tunnel.Example.COM",
        "--tcp-ports=2000-3000", "--db-url=jdbc:postgresql://db/grok", "--db-user=grok");

    assertThat(config.httpPort()).isEqualTo(8181);
    assertThat(config.domain()).isEqualTo("tunnel.example.com");
    assertThat(config.tcpPorts()).isEqualTo("2000-3000");
    assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://db/grok");
    assertThat(config.dbUser()).isEqualTo("grok");
  }

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    ServerConfig config = parse(Map.of("GROK_MAX_TUNNELS_PER_USER", "7", "GROK_TCP_PORTS", "3000-3100",
        "GROK_DB_PASSWORD", "secret"));

    assertThat(config.maxTunnelsPerUser()).isEqualTo(7);
    assertThat(config.tcpPorts()).isEqualTo("3000-3100");
    assertThat(config.dbPassword()).isEqualTo("secret");
  }

  @Test
  void tlsFilesArePassedIntoTheConfig() {
    ServerConfig config = parse(Map.of(), "--tls-cert", "c.pem", "--tls-key", "k.pem", "--https-port", "9443");

    assertThat(config.tlsCert()).isEqualTo(Path.of("c.pem"));
    assertThat(config.tlsKey()).isEqualTo(Path.of("k.pem"));
    assertThat(config.httpsPort()).isEqualTo(9443);
  }

  @Test
  void fileKeysAreEveryServerOptionWithoutDashes() {
    CommandLine root = ServerMain.commandLine(Map.of());

    assertThat(ServerMain.fileKeys(root.getSubcommands().get("serve").getCommandSpec())).containsExactlyInAnyOrder(
        "domain", "bind", "http-port", "https-port", "tunnel-port", "admin-port", "tcp-ports", "data-dir",
        "db-url", "db-user", "db-password", "tls-cert", "tls-key", "max-tunnels-per-user", "response-timeout",
        "header-timeout", "body-timeout", "idle-timeout", "max-connections-per-ip", "max-connections", "log-format",
        // issue 11: rate limit per tunnel, tunnel port
        "rate-limit", "rate-limit-burst", "tunnel-auth-timeout", "max-unauthenticated-connections",
        "max-failed-auth", "failed-auth-lockout",
        // issue 12: the request log in the database
        "request-log-retention", "request-log-max-age");
  }

  @Test
  void serveIsTheDefaultSubcommand() {
    CommandLine root = ServerMain.commandLine(Map.of());

    assertThat(ServerMain.withDefaultCommand(root, new String[0])).containsExactly("serve");
    assertThat(ServerMain.withDefaultCommand(root, new String[] {"--http-port", "1"}))
        .containsExactly("serve", "--http-port", "1");
    assertThat(ServerMain.withDefaultCommand(root, new String[] {"gencert"})).containsExactly("gencert");
    assertThat(ServerMain.withDefaultCommand(root, new String[] {"--version"})).containsExactly("--version");
  }
}
