package dev.grok.it;

import dev.grok.client.ClientConfig;
import dev.grok.client.GrokClient;
import dev.grok.client.RecordingListener;
import dev.grok.client.TunnelTls;
import dev.grok.testing.Await;
import java.time.Duration;

/** A {@link GrokClient} in this JVM connected to a {@link TestServer}, with a {@link RecordingListener}. */
final class TestClient implements AutoCloseable {
  /** Generous bound for a client to connect and open its tunnel on a loaded machine. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final GrokClient client;
  private final RecordingListener listener;
  /** The URL of the latest readiness seen by {@link #awaitReady()}; null before. Test thread only. */
  private String publicUrl;

  private TestClient(GrokClient client, RecordingListener listener) {
    this.client = client;
    this.listener = listener;
  }

  /**
   * Starts a client of {@code server} with {@code token} for {@code subdomain} (null: a random one), forwarding
   * to {@code target} ({@code PORT}, {@code HOST:PORT} or a URL) with the {@code hostHeader} rule.
   */
  static TestClient start(TestServer server, String token, String subdomain, String target, String hostHeader) {
    RecordingListener listener = new RecordingListener();
    ClientConfig config = new ClientConfig("127.0.0.1", server.tunnelPort(), token,
        ClientConfig.LocalTarget.parse(target), subdomain, hostHeader);
    return new TestClient(GrokClient.start(config, listener), listener);
  }

  /** Starts a {@code grok tcp} client of {@code server} forwarding to {@code target} on {@code remotePort}. */
  static TestClient startTcp(TestServer server, String token, String target, int remotePort) {
    RecordingListener listener = new RecordingListener();
    ClientConfig config = ClientConfig.tcp("127.0.0.1", server.tunnelPort(), token,
        ClientConfig.LocalTarget.parseTcp(target), remotePort);
    return new TestClient(GrokClient.start(config, listener), listener);
  }

  /** Like {@link #startTcp} and waits until its tunnel is ready. */
  static TestClient readyTcp(TestServer server, String token, String target, int remotePort) {
    return readyOrClosed(startTcp(server, token, target, remotePort));
  }

  /** A client in the default {@code rewrite} mode. */
  static TestClient start(TestServer server, String token, String subdomain, String target) {
    return start(server, token, subdomain, target, "rewrite");
  }

  /** Like {@link #start} through another tunnel port (e.g. a relay in front of the server's). */
  static TestClient startVia(int tunnelPort, String token, String subdomain, String target) {
    RecordingListener listener = new RecordingListener();
    ClientConfig config = new ClientConfig("127.0.0.1", tunnelPort, token, ClientConfig.LocalTarget.parse(target),
        subdomain, "rewrite");
    return new TestClient(GrokClient.start(config, listener), listener);
  }

  /** Starts a client of {@code config} (e.g. {@code grok serve}, basic auth) and waits until its tunnel is ready. */
  static TestClient ready(ClientConfig config) {
    RecordingListener listener = new RecordingListener();
    return readyOrClosed(new TestClient(GrokClient.start(config, listener), listener));
  }

  /**
   * A config of {@code server} with {@code token} for {@code subdomain}, forwarding to {@code target} (null for
   * none, e.g. before {@code withServe}), for the {@code with*} options of the test.
   */
  static ClientConfig config(TestServer server, String token, String subdomain, String target) {
    return config(server, token, subdomain, target, "rewrite");
  }

  /** Like {@link #config(TestServer, String, String, String)} with the {@code hostHeader} rule. */
  static ClientConfig config(TestServer server, String token, String subdomain, String target, String hostHeader) {
    return new ClientConfig("127.0.0.1", server.tunnelPort(), token,
        target == null ? null : ClientConfig.LocalTarget.parse(target), subdomain, hostHeader);
  }

  /**
   * A config of a TLS tunnel port: the client connects to {@code localhost} (the name in the test certificate)
   * with {@code tls}.
   */
  static ClientConfig tlsConfig(TestServer server, String token, String subdomain, String target, String hostHeader,
      TunnelTls tls) {
    return new ClientConfig("localhost", server.tunnelPort(), token, ClientConfig.LocalTarget.parse(target),
        subdomain, hostHeader).withTunnelTls(tls);
  }

  /**
   * A client of a TLS tunnel port: it connects to {@code localhost} (the name in the test certificate) with
   * {@code tls}.
   */
  static TestClient startTls(TestServer server, String token, String subdomain, String target, TunnelTls tls) {
    RecordingListener listener = new RecordingListener();
    ClientConfig config = tlsConfig(server, token, subdomain, target, "rewrite", tls);
    return new TestClient(GrokClient.start(config, listener), listener);
  }

  /** Starts a client and waits until its tunnel is ready. */
  static TestClient ready(TestServer server, String token, String subdomain, String target) {
    return readyOrClosed(start(server, token, subdomain, target));
  }

  private static TestClient readyOrClosed(TestClient c) {
    try {
      c.awaitReady();
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** Waits for readiness; fails at once on a fatal report. Returns the public URL. */
  String awaitReady() {
    return awaitReady(READY_TIMEOUT);
  }

  /** Like {@link #awaitReady()} with another bound. */
  String awaitReady(Duration timeout) {
    RecordingListener.Event e = nextReadyOrFatal(timeout);
    if (!e.type().equals("ready")) {
      throw new AssertionError("expected the tunnel to be ready, got " + e);
    }
    publicUrl = e.publicUrl();
    return publicUrl;
  }

  /** The public URL the tunnel announced when it became ready. */
  String publicUrl() {
    if (publicUrl == null) {
      throw new IllegalStateException("not ready yet (expected: awaitReady() first)");
    }
    return publicUrl;
  }

  /** Waits for a fatal report; fails when the tunnel became ready instead. */
  RecordingListener.Event awaitFatal(Duration timeout) {
    RecordingListener.Event e = nextReadyOrFatal(timeout);
    if (!e.type().equals("fatal")) {
      throw new AssertionError("expected a fatal failure, got " + e);
    }
    return e;
  }

  private RecordingListener.Event nextReadyOrFatal(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      RecordingListener.Event e = listener.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (!e.type().equals("reconnecting")) {
        return e;
      }
    }
  }

  RecordingListener listener() {
    return listener;
  }

  GrokClient client() {
    return client;
  }

  /** The exit code once the client stopped for good, waiting at most {@code timeout}. */
  int awaitTerminated(Duration timeout) {
    return Await.get(client.terminated(), timeout, "client termination");
  }

  @Override
  public void close() {
    client.close();
    awaitTerminated(Duration.ofSeconds(10));
  }
}
