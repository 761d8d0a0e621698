package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

/**
 * The server's gRPC byte counters ({@code grok_grpc_wire_bytes_total}, {@code grok_grpc_uncompressed_bytes_total})
 * read from its {@code /metrics}: what crossed the tunnel connection, after and before compression.
 *
 * @param wireIn server to client (request bodies) as sent, after compression
 * @param plainIn the same messages before compression
 * @param wireOut client to server (response bodies) as received
 * @param plainOut the same messages after decompression
 */
record TunnelWireBytes(double wireIn, double plainIn, double wireOut, double plainOut) {
  static TunnelWireBytes scrape(AdminHttp admin) {
    HttpResponse<String> r = admin.send("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = r.body().lines().toList();
    return new TunnelWireBytes(
        value(lines, "grok_grpc_wire_bytes_total", "direction=\"in\""),
        value(lines, "grok_grpc_uncompressed_bytes_total", "direction=\"in\""),
        value(lines, "grok_grpc_wire_bytes_total", "direction=\"out\""),
        value(lines, "grok_grpc_uncompressed_bytes_total", "direction=\"out\""));
  }

  /** What was counted since {@code before}. */
  TunnelWireBytes since(TunnelWireBytes before) {
    return new TunnelWireBytes(wireIn - before.wireIn, plainIn - before.plainIn, wireOut - before.wireOut,
        plainOut - before.plainOut);
  }

  private static double value(List<String> lines, String name, String label) {
    List<String> hits = lines.stream().filter(l -> l.startsWith(name + "{") && l.contains(label)).toList();
    assertThat(hits).as("samples of %s with %s", name, label).hasSize(1);
    String line = hits.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
