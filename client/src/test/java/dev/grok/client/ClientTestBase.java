package dev.grok.client;

import dev.grok.testing.Await;
import dev.grok.testing.leak.LeakDetection;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fake tunnel server, a recording origin and a client between them, all on loopback. */
@ExtendWith(LeakDetection.class)
@Timeout(60)
abstract class ClientTestBase {
  static final Duration WAIT = Duration.ofSeconds(5);

  FakeTunnelServer tunnel;
  RecordingOrigin origin;
  RecordingListener listener;
  GrokClient client;

  @BeforeEach
  void startFixtures() throws Exception {
    tunnel = new FakeTunnelServer().start();
    origin = new RecordingOrigin();
    listener = new RecordingListener();
  }

  @AfterEach
  void stopFixtures() throws Exception {
    if (client != null) {
      client.close();
      Await.get(client.terminated(), WAIT, "client termination");
    }
    tunnel.close();
    origin.close();
  }

  GrokClient startClient(String token, String subdomain, String hostHeader, int targetPort) {
    return startClient(token, subdomain, hostHeader, "127.0.0.1:" + targetPort);
  }

  GrokClient startClient(String token, String subdomain, String hostHeader, String target) {
    ClientConfig config = new ClientConfig("127.0.0.1", tunnel.port(), token,
        ClientConfig.LocalTarget.parse(target), subdomain, hostHeader);
    client = GrokClient.start(config, listener);
    return client;
  }

  /** Starts a client for subdomain {@code demo} in rewrite mode and waits until it is ready. */
  GrokClient startReadyClient() throws InterruptedException {
    return startReadyClient("rewrite");
  }

  GrokClient startReadyClient(String hostHeader) throws InterruptedException {
    startClient(FakeTunnelServer.TOKEN, "demo", hostHeader, origin.port());
    RecordingListener.Event e = listener.next(WAIT);
    if (!e.type().equals("ready")) {
      throw new AssertionError("expected ready, got " + e);
    }
    return client;
  }

  /** A port nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
