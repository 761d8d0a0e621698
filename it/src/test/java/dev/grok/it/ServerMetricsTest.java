package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} on the admin port after real requests through a tunnel: the latency histogram and byte
 * counters carry the tunnel's label while it lives, and the label is gone once the tunnel ended.
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class ServerMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().build();
  static AdminHttp admin;

  @BeforeAll
  static void start() {
    admin = new AdminHttp(tunnel.server());
  }

  private static List<String> scrape() {
    HttpResponse<String> r = admin.send("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return r.body().lines().toList();
  }

  /** The value of the one sample named {@code name} whose labels include every one of {@code labels}. */
  private static double value(List<String> lines, String name, String... labels) {
    List<String> hits = lines.stream()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> List.of(labels).stream().allMatch(l::contains))
        .toList();
    assertThat(hits).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
    String line = hits.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void requestsThroughATunnelShowUpWithItsLabelUntilItEnds() throws Exception {
    String name = "metrics-demo";
    String body = "x".repeat(1000);
    try (TestClient client = TestClient.ready(tunnel.server(), tunnel.server().adminToken(), name,
        String.valueOf(tunnel.origin().port()))) {
      for (int i = 0; i < 2; i++) {
        assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/bytes/5000").host(tunnel.host(name)))
            .status()).isEqualTo(200);
      }
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.of("POST", "/status/404").host(tunnel.host(name))
          .body(body)).status()).isEqualTo(404);
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.of("BREW", "/").host(tunnel.host(name))).status())
          .isEqualTo(200);
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host("nobody-here")))
          .status()).isEqualTo(404);

      String label = "tunnel=\"" + name + "\"";
      List<String> m = await().atMost(WAIT).until(ServerMetricsTest::scrape, lines -> lines.stream().anyMatch(
          l -> l.startsWith("grok_request_latency_seconds_count{") && l.contains("method=\"OTHER\"")));
      assertThat(value(m, "grok_request_latency_seconds_count", label, "method=\"GET\"", "status=\"2xx\""))
          .isEqualTo(2.0);
      assertThat(value(m, "grok_request_latency_seconds_bucket", label, "method=\"GET\"", "status=\"2xx\"",
          "le=\"+Inf\"")).isEqualTo(2.0);
      assertThat(m).anyMatch(l -> l.startsWith("# TYPE grok_request_latency_seconds histogram"));
      assertThat(value(m, "grok_request_latency_seconds_count", label, "method=\"POST\"", "status=\"4xx\""))
          .isEqualTo(1.0);
      assertThat(value(m, "grok_tunnel_bytes_total", label, "direction=\"in\"")).isEqualTo(body.length());
      assertThat(value(m, "grok_tunnel_bytes_total", label, "direction=\"out\"")).isGreaterThanOrEqualTo(10_000);
      assertThat(value(m, "grok_errors_total", "kind=\"no_route\"")).isEqualTo(1.0);
      assertThat(value(m, "grok_tunnels")).isEqualTo(1.0);
      assertThat(value(m, "grok_sessions")).isEqualTo(1.0);
      assertThat(value(m, "grok_standby_streams")).isPositive();
      assertThat(value(m, "grok_grpc_wire_bytes_total", "direction=\"out\"")).isGreaterThanOrEqualTo(10_000);
      assertThat(value(m, "grok_grpc_uncompressed_bytes_total", "direction=\"in\"")).isGreaterThan(body.length());
      assertThat(m).anyMatch(l -> l.startsWith("jvm_memory_used_bytes{"));
      assertThat(m).anyMatch(l -> l.startsWith("jvm_gc_"));
      assertThat(m).anyMatch(l -> l.startsWith("netty_allocator_memory_used{"));
      assertThat(m).noneMatch(l -> l.contains("/bytes/5000") || l.contains("/status/404"));
    }
    await().atMost(WAIT).untilAsserted(() -> {
      List<String> after = scrape();
      assertThat(after).noneMatch(l -> l.contains("tunnel=\"" + name + "\""));
      assertThat(value(after, "grok_tunnels")).isEqualTo(0.0);
    });
  }

  @Test
  void tcpConnectionsCountTheirBytesUnderTheTcpPortLabel() throws Exception {
    byte[] sent = "ping through a tcp tunnel\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (LocalTcpService echo = LocalTcpService.start(socket -> socket.getInputStream().transferTo(
            socket.getOutputStream()));
        TestClient client = TestClient.startTcp(tunnel.server(), tunnel.server().adminToken(),
            String.valueOf(echo.port()), 0)) {
      int port = TestTcp.portOf(client.awaitReady());
      try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = visitor.getOutputStream();
        out.write(sent);
        visitor.shutdownOutput();
        InputStream in = visitor.getInputStream();
        assertThat(in.readAllBytes()).isEqualTo(sent);
      }
      String label = "tunnel=\"tcp-" + port + "\"";
      List<String> m = await().atMost(WAIT).until(ServerMetricsTest::scrape, lines -> lines.stream().anyMatch(
          l -> l.startsWith("grok_tunnel_bytes_total{") && l.contains(label) && l.contains("direction=\"out\"")
              && !l.endsWith(" 0.0")));
      assertThat(value(m, "grok_tunnel_bytes_total", label, "direction=\"in\"")).isEqualTo(sent.length);
      assertThat(value(m, "grok_tunnel_bytes_total", label, "direction=\"out\"")).isEqualTo(sent.length);
      assertThat(value(m, "grok_request_latency_seconds_count", label, "method=\"OTHER\"", "status=\"none\""))
          .isEqualTo(1.0);
    }
  }
}
