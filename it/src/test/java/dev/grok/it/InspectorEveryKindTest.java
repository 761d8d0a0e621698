package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.client.ClientConfig;
import dev.grok.client.ClientConfig.ServeOptions;
import dev.grok.client.GrokClient;
import dev.grok.client.inspect.Inspector;
import dev.grok.client.inspect.InspectorServer;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector of {@code grok tcp} (connections: peer, bytes each way, duration, how it ended) and of
 * {@code grok serve} (requests, as for http): {@code /api/status} and {@code /api/requests} answer for them too.
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class InspectorEveryKindTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  static Path work;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Files.createDirectories(work.resolve("data")));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A client of {@code config} with an inspector on a free port; closing it closes both. */
  private record Inspected(GrokClient client, Inspector inspector, InspectorServer web, String publicUrl,
      InspectorHttp api) implements AutoCloseable {
    static Inspected start(ClientConfig config) {
      Inspector inspector = new Inspector(config.localUrl());
      InspectorServer web = InspectorServer.start(inspector, 0);
      assertThat(web).as("the inspector binds a free port").isNotNull();
      RecordingListener listener = new RecordingListener();
      GrokClient client = GrokClient.start(config, inspector.listener(listener), inspector);
      String url = listener.next("ready", TestClient.READY_TIMEOUT).publicUrl();
      return new Inspected(client, inspector, web, url, new InspectorHttp(web.url()));
    }

    JsonNode onlyEntry() {
      return await().atMost(WAIT).until(() -> api.json("/api/requests").path("requests"),
          list -> list.size() == 1 && list.get(0).path("state").asText().equals("complete")).get(0);
    }

    @Override
    public void close() {
      client.close();
      Await.get(client.terminated(), Duration.ofSeconds(10), "client termination");
      web.close();
      inspector.close();
    }
  }

  @Test
  void tcpTunnelListsEachConnectionWithPeerBytesAndEnding() throws Exception {
    try (LocalTcpService echo = LocalTcpService.echo();
        Inspected run = Inspected.start(ClientConfig.tcp("127.0.0.1", server.tunnelPort(), server.adminToken(),
            ClientConfig.LocalTarget.parseTcp(echo.hostAndPort()), 0))) {
      JsonNode status = run.api().json("/api/status");
      assertThat(status.path("connected").asBoolean()).isTrue();
      assertThat(status.path("public_url").asText()).isEqualTo(run.publicUrl()).startsWith("tcp://");
      assertThat(status.path("local_url").asText()).isEqualTo(echo.hostAndPort());

      int visitorPort;
      try (Socket visitor = new Socket("127.0.0.1", TestTcp.portOf(run.publicUrl()))) {
        visitorPort = visitor.getLocalPort();
        OutputStream out = visitor.getOutputStream();
        out.write("ping!".getBytes(StandardCharsets.US_ASCII));
        visitor.shutdownOutput();
        InputStream in = visitor.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ping!"); // to the FIN
      }

      JsonNode connection = run.onlyEntry();
      assertThat(connection.path("method").asText()).isEqualTo("TCP");
      assertThat(connection.path("peer").asText()).isEqualTo("127.0.0.1:" + visitorPort);
      assertThat(connection.path("request_size").asLong()).isEqualTo(5); // visitor -> local service
      assertThat(connection.path("response_size").asLong()).isEqualTo(5); // local service -> visitor
      assertThat(connection.path("duration_ms").asDouble()).isPositive();
      assertThat(connection.has("failure")).isFalse(); // both sides half-closed: a clean end
    }
  }

  @Test
  void serveTunnelListsItsRequestsAsHttpDoes() throws Exception {
    Path root = Files.createDirectories(work.resolve("site"));
    Files.writeString(root.resolve("index.html"), "<h1>served</h1>\n");
    ClientConfig config = TestClient.config(server, server.adminToken(), "inspected-site", null)
        .withServe(new ServeOptions(root, false, null, false));
    try (Inspected run = Inspected.start(config)) {
      assertThat(run.api().json("/api/status").path("local_url").asText()).isEqualTo(config.localUrl());

      RawResponse r = RawHttp.exchange(server.httpPort(),
          RawRequest.get("/index.html?v=1").host(server.host("inspected-site")));
      assertThat(r.status()).isEqualTo(200);

      JsonNode request = run.onlyEntry();
      assertThat(request.path("method").asText()).isEqualTo("GET");
      assertThat(request.path("path").asText()).isEqualTo("/index.html?v=1");
      assertThat(request.path("status").asInt()).isEqualTo(200);
      assertThat(request.path("response_size").asLong()).isEqualTo("<h1>served</h1>\n".length());
      JsonNode detail = run.api().json("/api/requests/" + request.path("id").asLong());
      assertThat(detail.path("response").path("body").path("text").asText()).isEqualTo("<h1>served</h1>\n");
      assertThat(StreamSupport.stream(detail.path("response").path("headers").spliterator(), false)
          .anyMatch(h -> h.path("name").asText().equalsIgnoreCase("content-type"))).isTrue();
    }
  }
}
