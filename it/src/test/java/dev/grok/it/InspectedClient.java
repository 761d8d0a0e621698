package dev.grok.it;

import dev.grok.client.ClientConfig;
import dev.grok.client.GrokClient;
import dev.grok.client.RecordingListener;
import dev.grok.client.inspect.Inspector;
import dev.grok.client.inspect.InspectorServer;
import dev.grok.testing.Await;
import java.time.Duration;

/**
 * A {@link GrokClient} in this JVM with the request inspector on a free port of 127.0.0.1, wired as {@code grok
 * http} wires it, its tunnel ready.
 */
final class InspectedClient implements AutoCloseable {
  private final GrokClient client;
  private final Inspector inspector;
  private final InspectorServer server;
  private final String publicUrl;

  private InspectedClient(GrokClient client, Inspector inspector, InspectorServer server, String publicUrl) {
    this.client = client;
    this.inspector = inspector;
    this.server = server;
    this.publicUrl = publicUrl;
  }

  /** Tunnel {@code name} of {@code server} to {@code originPort}; bodies are captured up to {@code bodyLimit}. */
  static InspectedClient ready(TestServer server, String name, int originPort, int bodyLimit) {
    ClientConfig.LocalTarget target = ClientConfig.LocalTarget.parse(String.valueOf(originPort));
    Inspector inspector = new Inspector(target.url(), Inspector.DEFAULT_CAPACITY, bodyLimit);
    InspectorServer web = InspectorServer.start(inspector, 0);
    if (web == null) {
      inspector.close();
      throw new AssertionError("the inspector could not bind a free port");
    }
    RecordingListener listener = new RecordingListener();
    ClientConfig config = new ClientConfig("127.0.0.1", server.tunnelPort(), server.adminToken(), target, name,
        "rewrite");
    GrokClient client = GrokClient.start(config, inspector.listener(listener), inspector);
    inspector.replayTo(client.forwarder());
    InspectedClient c = new InspectedClient(client, inspector, web, null);
    try {
      String url = listener.next("ready", TestClient.READY_TIMEOUT).publicUrl();
      return new InspectedClient(client, inspector, web, url);
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT} of the inspector. */
  String inspectorUrl() {
    return server.url();
  }

  String publicUrl() {
    return publicUrl;
  }

  Inspector inspector() {
    return inspector;
  }

  @Override
  public void close() {
    client.close();
    Await.get(client.terminated(), Duration.ofSeconds(10), "client termination");
    server.close();
    inspector.close();
  }
}
