package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.compress.CompressionMode;
import dev.grok.testing.BytePattern;
import dev.grok.testing.Header;
import dev.grok.testing.Sha256;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.OriginResponse;
import dev.grok.testing.origin.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --compression} end to end: one server, one client per mode, a real origin. Bodies arrive byte-exact both
 * ways with every codec; the server's gRPC counters show what crossed the tunnel connection: text bodies at least
 * 60% smaller with gzip and zstd, binary and already-small bodies as they are, nothing compressed with none, and
 * nothing with auto before it has measured the tunnel (bodies here are too short for a sample: AutoRule).
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class CompressionTest {
  private static final int BODY_BYTES = 512 * 1024;
  /** "At least 60% lower": wire bytes of a text body are at most this share of its bytes. */
  private static final double MAX_COMPRESSED_SHARE = 0.40;

  static final Map<CompressionMode, TestClient> clients = new EnumMap<>(CompressionMode.class);
  static final Map<String, byte[]> documents = Map.of(
      "page.html", TextBodies.html(BODY_BYTES),
      "data.json", TextBodies.json(BODY_BYTES),
      "style.css", TextBodies.css(BODY_BYTES));

  /** Clients are started at their first use, one per compression mode. */
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().routes(o -> o.route("/doc/", CompressionTest::document)).build();
  static AdminHttp admin;

  @BeforeAll
  static void start() {
    admin = new AdminHttp(tunnel.server());
  }

  private static OriginResponse document(RecordedRequest request) {
    String name = request.path().substring("/doc/".length());
    if (name.equals("not-modified")) {
      return new OriginResponse(304, List.of(new Header("ETag", "\"v1\"")), new byte[0]);
    }
    byte[] body = documents.get(name);
    return body == null ? OriginResponse.text(404, "no such document\n")
        : new OriginResponse(200, List.of(new Header("Content-Type", TextBodies.contentType(name))), body);
  }

  private static String name(CompressionMode mode) {
    return "zip-" + mode.optionValue();
  }

  /** The client of {@code mode}, started at its first use. */
  private static void client(CompressionMode mode) {
    clients.computeIfAbsent(mode, m -> tunnel.readyClient(tunnel.clientConfig(name(m)).withCompression(m)));
  }

  private static RawResponse send(CompressionMode mode, RawRequest request) throws Exception {
    client(mode);
    return RawHttp.exchange(tunnel.httpPort(), request.host(tunnel.host(name(mode))));
  }

  private static TunnelWireBytes wire() {
    return TunnelWireBytes.scrape(admin);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "ZSTD"})
  void textResponsesArriveExactWithAtLeast60PercentFewerWireBytes(CompressionMode mode) throws Exception {
    for (Map.Entry<String, byte[]> doc : documents.entrySet()) {
      TunnelWireBytes before = wire();
      RawResponse r = send(mode, RawRequest.get("/doc/" + doc.getKey()));
      TunnelWireBytes used = wire().since(before);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(doc.getValue().length));
      assertThat(Sha256.hex(r.body())).as(doc.getKey()).isEqualTo(Sha256.hex(doc.getValue()));
      assertThat(used.plainOut()).as(doc.getKey()).isGreaterThanOrEqualTo(BODY_BYTES);
      assertThat(used.wireOut()).as("%s with %s: wire bytes of a %d-byte body", doc.getKey(), mode, BODY_BYTES)
          .isLessThanOrEqualTo(MAX_COMPRESSED_SHARE * BODY_BYTES);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "ZSTD"})
  void textUploadWithLengthIsCompressedAndEchoedBackChunkedCompressed(CompressionMode mode) throws Exception {
    byte[] body = documents.get("data.json");
    TunnelWireBytes before = wire();
    RawResponse r = send(mode, RawRequest.of("POST", "/echo/json").header("Content-Type", "application/json")
        .body(body));
    TunnelWireBytes used = wire().since(before);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
    assertThat(Sha256.hex(r.body())).isEqualTo(Sha256.hex(body));
    assertThat(used.wireIn()).as("request body on the wire").isLessThanOrEqualTo(MAX_COMPRESSED_SHARE * body.length);
    assertThat(used.wireOut()).as("echoed body on the wire").isLessThanOrEqualTo(MAX_COMPRESSED_SHARE * body.length);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "ZSTD"})
  void chunkedTextUploadArrivesExactAndCompressed(CompressionMode mode) throws Exception {
    String text = new String(documents.get("page.html"), StandardCharsets.US_ASCII);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 10_000) {
      pieces.add(text.substring(i, Math.min(text.length(), i + 10_000)));
    }
    TunnelWireBytes before = wire();
    RawResponse r = send(mode, RawRequest.of("POST", "/sha256/chunked").header("Content-Type", "text/html")
        .chunkedBody(pieces.toArray(String[]::new)));
    TunnelWireBytes used = wire().since(before);

    assertThat(r.bodyText()).isEqualTo("{\"sha256\":\"" + Sha256.hex(documents.get("page.html")) + "\",\"length\":"
        + BODY_BYTES + "}");
    assertThat(used.wireIn()).isLessThanOrEqualTo(MAX_COMPRESSED_SHARE * BODY_BYTES);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "ZSTD"})
  void binaryBodiesAreSentAsTheyAreBothWays(CompressionMode mode) throws Exception {
    TunnelWireBytes before = wire();
    RawResponse down = send(mode, RawRequest.get("/bytes/" + BODY_BYTES));
    TunnelWireBytes usedDown = wire().since(before);

    assertThat(down.header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(Sha256.hex(down.body())).isEqualTo(BytePattern.sha256Hex(BODY_BYTES));
    assertThat(usedDown.wireOut()).as("octet-stream is never compressed").isGreaterThanOrEqualTo(BODY_BYTES);

    byte[] random = new byte[BODY_BYTES];
    new Random(7).nextBytes(random);
    before = wire();
    RawResponse up = send(mode, RawRequest.of("POST", "/sha256/binary").header("Content-Type", "image/png")
        .body(random));
    TunnelWireBytes usedUp = wire().since(before);

    assertThat(up.bodyText()).contains(Sha256.hex(random));
    assertThat(usedUp.wireIn()).as("image/png is never compressed").isGreaterThanOrEqualTo(BODY_BYTES);
  }

  @ParameterizedTest
  @EnumSource(CompressionMode.class)
  void headAndNotModifiedCarryNoBody(CompressionMode mode) throws Exception {
    RawResponse head = send(mode, RawRequest.of("HEAD", "/doc/page.html"));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(BODY_BYTES));
    assertThat(head.body()).isEmpty();

    RawResponse notModified = send(mode, RawRequest.get("/doc/not-modified").header("If-None-Match", "\"v1\""));
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.header("ETag")).isEqualTo("\"v1\"");
    assertThat(notModified.body()).isEmpty();
  }

  @Test
  void noneSendsTextUncompressed() throws Exception {
    byte[] body = documents.get("page.html");
    TunnelWireBytes before = wire();
    RawResponse down = send(CompressionMode.NONE, RawRequest.get("/doc/page.html"));
    RawResponse up = send(CompressionMode.NONE, RawRequest.of("POST", "/sha256/none").header("Content-Type",
        "text/html").body(body));
    TunnelWireBytes used = wire().since(before);

    assertThat(Sha256.hex(down.body())).isEqualTo(Sha256.hex(body));
    assertThat(up.bodyText()).contains(Sha256.hex(body));
    assertThat(used.wireOut()).as("response bytes on the wire").isGreaterThanOrEqualTo(body.length);
    assertThat(used.wireIn()).as("request bytes on the wire").isGreaterThanOrEqualTo(body.length);
    assertThat(used.wireOut()).isEqualTo(used.plainOut());
    assertThat(used.wireIn()).isEqualTo(used.plainIn());
  }

  @Test
  void autoSendsPlainUntilItHasMeasuredTheTunnel() throws Exception {
    byte[] body = documents.get("style.css");
    TunnelWireBytes before = wire();
    RawResponse down = send(CompressionMode.AUTO, RawRequest.get("/doc/style.css"));
    TunnelWireBytes used = wire().since(before);

    assertThat(Sha256.hex(down.body())).isEqualTo(Sha256.hex(body));
    // 512 KiB is within AutoRule.SKIP_BYTES: no sample, so no estimate, so no compression
    assertThat(used.wireOut()).isEqualTo(used.plainOut()).isGreaterThanOrEqualTo(body.length);
  }

  @Test
  void alreadyEncodedBodiesAreNotCompressedAgain() throws Exception {
    byte[] body = documents.get("data.json"); // labelled as brotli: the tunnel must take the label's word for it
    TunnelWireBytes before = wire();
    RawResponse r = send(CompressionMode.ZSTD, RawRequest.of("PUT", "/status/201").header("Content-Type",
        "application/json").header("Content-Encoding", "br").body(body));
    TunnelWireBytes used = wire().since(before);

    assertThat(r.status()).isEqualTo(201);
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), "/status/201");
    assertThat(seen.bodySha256()).isEqualTo(Sha256.hex(body));
    assertThat(seen.header("Content-Encoding")).isEqualTo("br");
    assertThat(used.wireIn()).isGreaterThanOrEqualTo(body.length);
  }
}
