package dev.grok.it;

import dev.grok.cli.server.SelfSignedCertificate;
import dev.grok.server.GrokServer;
import dev.grok.server.ServerConfig;
import dev.grok.server.auth.CreatedToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link GrokServer} in this JVM on 127.0.0.1 with every port chosen by the OS, its data (SQLite, {@code
 * admin.token}) under a test directory, and the names a visitor uses to reach its tunnels.
 */
final class TestServer implements AutoCloseable {
  private final GrokServer server;
  private final ServerConfig config;

  private TestServer(GrokServer server, ServerConfig config) {
    this.server = server;
    this.config = config;
  }

  /** The contract's defaults with port 0 everywhere ({@link ServerConfig#forTests(Path)}). */
  static TestServer start(Path dataDir) {
    return start(ServerConfig.forTests(dataDir));
  }

  static TestServer start(ServerConfig config) {
    try {
      return new TestServer(GrokServer.start(config), config);
    } catch (Exception e) {
      throw new IllegalStateException("grok server did not start with " + config, e);
    }
  }

  /** {@code config} with another shutdown grace (ServerConfig has no wither for it). */
  static ServerConfig withShutdownGrace(ServerConfig c, Duration grace) {
    return new ServerConfig(c.domain(), c.bind(), c.httpPort(), c.httpsPort(), c.tunnelPort(), c.adminPort(),
        c.tcpPorts(), c.dataDir(), c.dbUrl(), c.dbUser(), c.dbPassword(), c.tlsCert(), c.tlsKey(),
        c.maxTunnelsPerUser(), c.responseTimeout(), grace);
  }

  /** {@code config} with TCP tunnels on ports {@code low} to {@code high}. */
  static ServerConfig withTcpPorts(ServerConfig c, int low, int high) {
    return new ServerConfig(c.domain(), c.bind(), c.httpPort(), c.httpsPort(), c.tunnelPort(), c.adminPort(),
        low + "-" + high, c.dataDir(), c.dbUrl(), c.dbUser(), c.dbPassword(), c.tlsCert(), c.tlsKey(),
        c.maxTunnelsPerUser(), c.responseTimeout(), c.shutdownGrace());
  }

  /**
   * A server with a fresh self-signed certificate for {@code localhost} and {@code *.localhost} (as {@code
   * grok-server gencert} makes it) under {@code DATA_DIR/certs}: HTTPS edge and TLS on the tunnel port.
   */
  static TestServer startTls(Path dataDir) {
    return start(withTls(ServerConfig.forTests(dataDir)));
  }

  /** {@code config} with a fresh self-signed certificate for {@code localhost} written under {@code DATA_DIR/certs}. */
  static ServerConfig withTls(ServerConfig c) {
    Path certs = c.dataDir().resolve("certs");
    try {
      Files.createDirectories(certs);
      SelfSignedCertificate generated = SelfSignedCertificate.generate("localhost", 30);
      Files.writeString(certs.resolve("grok.crt"), generated.certificatePem());
      Files.writeString(certs.resolve("grok.key"), generated.privateKeyPem());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a test certificate to " + certs, e);
    }
    return new ServerConfig(c.domain(), c.bind(), c.httpPort(), c.httpsPort(), c.tunnelPort(), c.adminPort(),
        c.tcpPorts(), c.dataDir(), c.dbUrl(), c.dbUser(), c.dbPassword(), certs.resolve("grok.crt"),
        certs.resolve("grok.key"), c.maxTunnelsPerUser(), c.responseTimeout(), c.shutdownGrace());
  }

  /** The certificate of a {@link #startTls} server (PEM), for clients to trust. */
  Path certificate() {
    return config.tlsCert();
  }

  int httpsPort() {
    return server.httpsPort();
  }

  GrokServer server() {
    return server;
  }

  int httpPort() {
    return server.httpPort();
  }

  int tunnelPort() {
    return server.tunnelPort();
  }

  /** The token the zero-config first start wrote to {@code DATA_DIR/admin.token}. */
  String adminToken() {
    try {
      return Files.readString(config.dataDir().resolve("admin.token"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("no admin.token in " + config.dataDir(), e);
    }
  }

  /** A new token of {@code user} (created when missing). */
  CreatedToken createToken(String name, String user) {
    return server.tokens().create(name, user);
  }

  /** The Host header a visitor sends for tunnel {@code name}: {@code NAME.localhost:PORT}. */
  String host(String name) {
    return name + "." + config.domain() + ":" + httpPort();
  }

  /** The public URL of tunnel {@code name}, as the server announces it. */
  String publicUrl(String name) {
    return "http://" + host(name);
  }

  @Override
  public void close() {
    server.close();
  }
}
