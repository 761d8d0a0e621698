package dev.grok.testing.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Header;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class LocalHttpOriginTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private LocalHttpOrigin origin;
  private HttpClient client;

  @BeforeEach
  void start() {
    origin = LocalHttpOrigin.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    client.close();
    origin.close();
  }

  @Test
  void echoReturnsTheBodyByteExact() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 5];
    new Random(42).nextBytes(body);
    HttpResponse<byte[]> response = client.send(
        HttpRequest.newBuilder(URI.create(origin.url("/echo/up?x=1")))
            .header("Content-Type", "application/x-test")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    assertThat(response.headers().firstValue("X-Echo-Method")).hasValue("POST");
    assertThat(response.headers().firstValue("X-Echo-Uri")).hasValue("/echo/up?x=1");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-test");
    RecordedRequest recorded = origin.takeRequest(TIMEOUT);
    assertThat(recorded.bodyLength()).isEqualTo(body.length);
    assertThat(recorded.bodySha256()).isEqualTo(dev.grok.testing.Sha256.hex(body));
    assertThat(recorded.bodyComplete()).isTrue();
  }

  @Test
  void echoReportsRawUriHostAndHeaderCount() throws Exception {
    RawResponse response = RawHttp.exchange(origin.port(), RawRequest.get("/echo/a%2Fb?x=1&y=%20")
        .host("demo.example.test:8080").header("X-One", "1").header("X-One", "2"));

    assertThat(response.header("X-Echo-Uri")).isEqualTo("/echo/a%2Fb?x=1&y=%20");
    assertThat(response.header("X-Echo-Host")).isEqualTo("demo.example.test:8080");
    assertThat(response.header("X-Echo-Header-Count")).isEqualTo("3");
    assertThat(response.chunked()).isTrue();
    assertThat(response.body()).isEmpty();
  }

  @Test
  void recordsHeadersInOrderWithRepeatsAndTheRawUri() throws Exception {
    RawHttp.exchange(origin.port(), RawRequest.get("/a%2Fb?x=1").host("h.test")
        .header("X-Multi", "one").header("x-lower", "v").header("X-Multi", "two"));

    RecordedRequest recorded = origin.takeRequest(TIMEOUT);
    assertThat(recorded.uri()).isEqualTo("/a%2Fb?x=1");
    assertThat(recorded.path()).isEqualTo("/a%2Fb");
    assertThat(recorded.query()).isEqualTo("x=1");
    assertThat(recorded.headers()).containsExactly(new Header("Host", "h.test"), new Header("X-Multi", "one"),
        new Header("x-lower", "v"), new Header("X-Multi", "two"));
    assertThat(recorded.headerValues("x-multi")).containsExactly("one", "two");
    assertThat(recorded.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    origin.requests().assertExhausted();
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnection() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      for (int i = 0; i < 5; i++) {
        RawResponse response = connection.exchange(RawRequest.get("/hello/" + i).host("h"));
        assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
      }
    }

    List<RecordedRequest> all = origin.requests().all();
    assertThat(all).extracting(RecordedRequest::connectionId).containsOnly(all.get(0).connectionId());
    assertThat(all).extracting(RecordedRequest::sequence).containsExactly(1, 2, 3, 4, 5);
    assertThat(origin.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      connection.send(RawRequest.get("/status/201").host("h") + RawRequest.get("/bytes/5").host("h").toString()
          + RawRequest.of("POST", "/sha256").host("h").body("abc"));

      assertThat(connection.readResponse().status()).isEqualTo(201);
      assertThat(connection.readResponse().body()).isEqualTo(dev.grok.testing.BytePattern.bytes(5));
      assertThat(connection.readResponse().bodyText()).isEqualTo("{\"sha256\":\""
          + dev.grok.testing.Sha256.hex("abc".getBytes()) + "\",\"length\":3}");
    }
  }

  @Test
  void connectionCloseIsHonoured() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      RawResponse response = connection.exchange(RawRequest.get("/").host("h").header("Connection", "close"));

      assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.readUntilClose()).isEmpty();
    }
    origin.awaitOpenConnectionsAtMost(0, TIMEOUT);
  }

  @Test
  void statusAnswersTheCodeWithASmallBody() throws Exception {
    RawResponse response = RawHttp.exchange(origin.port(), RawRequest.get("/status/418").host("h"));

    assertThat(response.status()).isEqualTo(418);
    assertThat(response.bodyText()).isEqualTo("status 418\n");
  }

  @Test
  void status204And304HaveNoBody() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      RawResponse noContent = connection.exchange(RawRequest.get("/status/204").host("h"));
      RawResponse notModified = connection.exchange(RawRequest.get("/status/304").host("h"));
      RawResponse after = connection.exchange(RawRequest.get("/").host("h"));

      assertThat(noContent.status()).isEqualTo(204);
      assertThat(noContent.header("Content-Length")).isNull();
      assertThat(notModified.status()).isEqualTo(304);
      assertThat(after.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
    }
  }

  @Test
  void headGetsTheHeadersWithoutTheBody() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      RawResponse head = connection.exchange(RawRequest.of("HEAD", "/bytes/1000").host("h"));
      RawResponse next = connection.exchange(RawRequest.get("/status/200").host("h"));

      assertThat(head.header("Content-Length")).isEqualTo("1000");
      assertThat(head.body()).isEmpty();
      assertThat(next.bodyText()).isEqualTo("status 200\n");
    }
  }

  @Test
  void cookiesSendsRepeatedHeadersInOrder() throws Exception {
    RawResponse response = RawHttp.exchange(origin.port(), RawRequest.get("/cookies").host("h"));

    assertThat(response.headerValues("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(response.headerValues("X-Multi")).containsExactlyElementsOf(LocalHttpOrigin.MULTI_VALUES);
  }

  @Test
  void customRouteWinsOverBuiltInPaths() throws Exception {
    origin.route("/echo/custom", r -> OriginResponse.text(202, "custom " + r.method() + "\n")
        .withHeader("X-Custom", "yes"));

    RawResponse custom = RawHttp.exchange(origin.port(), RawRequest.of("DELETE", "/echo/custom/1").host("h"));
    RawResponse builtIn = RawHttp.exchange(origin.port(), RawRequest.get("/echo/other").host("h"));

    assertThat(custom.status()).isEqualTo(202);
    assertThat(custom.header("X-Custom")).isEqualTo("yes");
    assertThat(custom.bodyText()).isEqualTo("custom DELETE\n");
    assertThat(builtIn.header("X-Echo-Method")).isEqualTo("GET");
  }

  @Test
  void expectContinueIsAnswered() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(origin.port())) {
      connection.send("POST /sha256 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      assertThat(connection.readResponse().status()).isEqualTo(100);
      connection.send("hi");
      assertThat(connection.readResponse().bodyText()).contains("\"length\":2");
    }
  }

  @Test
  void malformedRequestGets400() throws Exception {
    String answer = RawHttp.sendAndReadUntilClose(origin.port(), "GET /\u0001 HTTP/1.1\r\nHost h\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
  }
}
