package dev.grok.it;

import dev.grok.server.ServerConfig;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.nio.file.Path;

/**
 * The set-up most end-to-end tests share: a server, a local HTTP origin and a ready client forwarding {@code name}
 * to it. Closed in reverse order; what failed to start is skipped.
 */
final class OneTunnel implements AutoCloseable {
  final TestServer server;
  final LocalHttpOrigin origin;
  final TestClient client;
  private final String name;

  private OneTunnel(TestServer server, LocalHttpOrigin origin, TestClient client, String name) {
    this.server = server;
    this.origin = origin;
    this.client = client;
    this.name = name;
  }

  /** Starts all three with the tests' server settings; a failure closes what had started and rethrows. */
  static OneTunnel start(Path dataDir, String name) {
    return start(ServerConfig.forTests(dataDir), name);
  }

  /** Like {@link #start(Path, String)} with the server settings of {@code config}. */
  static OneTunnel start(ServerConfig config, String name) {
    TestServer server = TestServer.start(config);
    LocalHttpOrigin origin = null;
    try {
      origin = LocalHttpOrigin.start();
      TestClient client = TestClient.ready(server, server.adminToken(), name, origin.hostAndPort());
      return new OneTunnel(server, origin, client, name);
    } catch (RuntimeException | Error e) {
      if (origin != null) {
        origin.close();
      }
      server.close();
      throw e;
    }
  }

  /** The Host a visitor sends to reach the tunnel. */
  String host() {
    return server.host(name);
  }

  int httpPort() {
    return server.httpPort();
  }

  @Override
  public void close() {
    client.close();
    server.close();
    origin.close();
  }
}
