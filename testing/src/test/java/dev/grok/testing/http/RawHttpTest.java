package dev.grok.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.Header;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawHttpTest {
  private static final RawRequest GET = RawRequest.get("/a%2Fb?x=1").host("demo.localhost:8080");

  @Test
  void sendsTheTargetAndHostHeaderExactly() throws Exception {
    try (CannedServer server = new CannedServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false)) {
      RawHttp.exchange(server.port(), GET.header("X-A", "1"));

      assertThat(server.awaitRequestHead())
          .isEqualTo("GET /a%2Fb?x=1 HTTP/1.1\r\nHost: demo.localhost:8080\r\nX-A: 1\r\n\r\n");
    }
  }

  @Test
  void decodesAChunkedBodyWithExtensionsAndTrailers() throws Exception {
    String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
    try (CannedServer server = new CannedServer(wire, false)) {
      RawResponse response = RawHttp.exchange(server.port(), GET);

      assertThat(response.chunked()).isTrue();
      assertThat(response.bodyText()).isEqualTo("hello 0123456789");
      assertThat(response.trailers()).containsExactly(new Header("X-Trailer", "t"));
    }
  }

  @Test
  void readsBackToBackResponsesByContentLength() throws Exception {
    String wire = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nabc"
        + "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno";
    try (CannedServer server = new CannedServer(wire, false);
        RawHttpConnection connection = RawHttp.connect(server.port())) {
      connection.send(GET);

      RawResponse first = connection.readResponse();
      RawResponse second = connection.readResponse();
      assertThat(first.bodyText()).isEqualTo("abc");
      assertThat(first.headerValues("set-cookie")).containsExactly("a=1", "b=2");
      assertThat(second.status()).isEqualTo(404);
      assertThat(second.reason()).isEqualTo("Not Found");
      assertThat(second.bodyText()).isEqualTo("no");
    }
  }

  @Test
  void readsACloseDelimitedBody() throws Exception {
    try (CannedServer server = new CannedServer("HTTP/1.0 200 OK\r\n\r\nuntil the end", false)) {
      RawResponse response = RawHttp.exchange(server.port(), GET);

      assertThat(response.version()).isEqualTo("HTTP/1.0");
      assertThat(response.bodyText()).isEqualTo("until the end");
    }
  }

  @Test
  void headResponseHasNoBodyDespiteContentLength() throws Exception {
    String wire = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
    try (CannedServer server = new CannedServer(wire, false);
        RawHttpConnection connection = RawHttp.connect(server.port())) {
      connection.send(RawRequest.of("HEAD", "/").host("h"));

      assertThat(connection.readResponse("HEAD").header("Content-Length")).isEqualTo("1000");
      assertThat(connection.readResponse().status()).isEqualTo(204);
    }
  }

  @Test
  void finalResponseSkipsInterimOnes() throws Exception {
    String wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
    try (CannedServer server = new CannedServer(wire, false)) {
      RawResponse response = RawHttp.exchange(server.port(), RawRequest.of("POST", "/").host("h").body("x"));

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.bodyText()).isEqualTo("ok");
    }
  }

  @Test
  void closeBeforeAnyResponseIsAConnectionClosedException() throws Exception {
    try (CannedServer server = new CannedServer("", false)) {
      assertThatThrownBy(() -> RawHttp.exchange(server.port(), GET))
          .isInstanceOfSatisfying(ConnectionClosedException.class, e -> {
            assertThat(e.received()).isEmpty();
            assertThat(e.isReset()).isFalse();
          });
    }
  }

  @Test
  void closeMidBodyKeepsWhatArrived() throws Exception {
    try (CannedServer server = new CannedServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false)) {
      assertThatThrownBy(() -> RawHttp.exchange(server.port(), GET))
          .isInstanceOfSatisfying(ConnectionClosedException.class, e -> assertThat(
              new String(e.received(), StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\nabc"));
    }
  }

  @Test
  void resetIsReportedAsAReset() throws Exception {
    try (CannedServer server = new CannedServer("", true)) {
      assertThatThrownBy(() -> RawHttp.exchange(server.port(), GET))
          .isInstanceOfSatisfying(ConnectionClosedException.class, e -> assertThat(e.isReset()).isTrue());
    }
  }

  @Test
  void streamingResponseDecodesChunksIncrementally() throws Exception {
    String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    try (CannedServer server = new CannedServer(wire, false);
        RawHttpConnection connection = RawHttp.connect(server.port())) {
      connection.send(GET);

      StreamingResponse response = connection.readStreamingResponse("GET");
      byte[] first = new byte[10];
      int n = response.body().read(first);
      assertThat(new String(first, 0, n, StandardCharsets.US_ASCII)).isEqualTo("abc");
      assertThat(response.body().readAllBytes()).isEqualTo("de".getBytes(StandardCharsets.US_ASCII));
      assertThat(response.body().read()).isEqualTo(-1);
    }
  }

  @Test
  void chunkedRequestBodyIsFramed() {
    assertThat(RawRequest.of("POST", "/up").host("h").chunkedBody("ab", "cde").toString())
        .isEqualTo("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n");
  }
}
