package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Header;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.OriginResponse;
import dev.grok.testing.origin.RecordedRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a visitor sends reaches the local service, and what it answers reaches the visitor, byte for byte: methods,
 * statuses, raw targets, headers in order with repeats; only hop-by-hop headers are dropped and the forwarding
 * headers added. One server, origin and pair of clients serve the whole class.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class RoundTripTest {
  private static final String NAME = "roundtrip";
  private static final String PRESERVING = "roundtrip-preserve";

  /** The main client forwards to a bare port, as `grok http 3000` does: the local service sees localhost:PORT. */
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).barePort()
      .routes(o -> o.route("/redirect",
          r -> OriginResponse.text(301, "moved\n").withHeader("Location", "/moved/here?x=1")))
      .build();

  @BeforeAll
  static void startPreserving() {
    tunnel.readyClient(TestClient.config(tunnel.server(), tunnel.server().adminToken(), PRESERVING,
        tunnel.origin().hostAndPort(), "preserve"));
  }

  private static RawResponse send(RawRequest request) throws Exception {
    return RawHttp.exchange(tunnel.httpPort(), request.host(tunnel.host()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"})
  void methodReachesTheOriginWithItsBody(String method) throws Exception {
    String uri = "/echo/method-" + method.toLowerCase(Locale.ROOT);
    boolean withBody = Set.of("POST", "PUT", "PATCH").contains(method);
    byte[] body = withBody ? ("the body of a " + method + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0];
    RawRequest request = RawRequest.of(method, uri);
    if (withBody) {
      request.body(body);
    }

    RawResponse response = send(request);

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.header("X-Echo-Method")).isEqualTo(method);
    assertThat(response.body()).isEqualTo(method.equals("HEAD") ? new byte[0] : body);
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), uri);
    assertThat(seen.method()).isEqualTo(method);
    assertThat(seen.bodyLength()).isEqualTo(body.length);
    assertThat(seen.bodyComplete()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 304, 404, 500, 503})
  void statusReachesTheVisitorWithItsBodyAndKeepsTheConnectionUsable(int status) throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      RawResponse response = connection.exchange(RawRequest.get("/status/" + status).host(tunnel.host()));
      // The next exchange on the same connection proves the first one was framed exactly.
      RawResponse next = connection.exchange(RawRequest.get("/after-" + status).host(tunnel.host()));

      assertThat(response.status()).isEqualTo(status);
      assertThat(response.reason()).isEqualTo(HttpResponseStatus.valueOf(status).reasonPhrase());
      assertThat(response.header("X-Grok-Error")).as("answered by the origin, not by grok").isNull();
      assertThat(response.bodyText()).isEqualTo(status == 204 || status == 304 ? "" : "status " + status + "\n");
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
    }
  }

  @Test
  void redirectReachesTheVisitorWithItsLocation() throws Exception {
    RawResponse response = send(RawRequest.get("/redirect"));

    assertThat(response.status()).isEqualTo(301);
    assertThat(response.headerValues("Location")).containsExactly("/moved/here?x=1");
    assertThat(response.bodyText()).isEqualTo("moved\n");
  }

  @Test
  void repeatedResponseHeadersReachTheVisitorInOrder() throws Exception {
    RawResponse response = send(RawRequest.get("/cookies"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headerValues("Set-Cookie")).containsExactlyElementsOf(LocalHttpOrigin.COOKIES);
    assertThat(response.headerValues("X-Multi")).containsExactlyElementsOf(LocalHttpOrigin.MULTI_VALUES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%2Fb/c?x=%20y&x=2", "/%7Euser/", "/path;matrix=1?q", "/dot/../segments/./x",
      "/%E2%82%AC?q=%E2%82%AC&&="})
  void rawTargetReachesTheOriginExactlyAsSent(String target) throws Exception {
    RawResponse response = send(RawRequest.get(target));

    assertThat(response.status()).isEqualTo(200);
    assertThat(OriginRequests.take(tunnel.origin(), target).uri()).isEqualTo(target);
  }

  @Test
  void requestHeadArrivingInTwoPartsIsServed() throws Exception {
    String request = "GET /split/head HTTP/1.1\r\nHost: " + tunnel.host() + "\r\n\r\n";
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      connection.send(request.substring(0, 12));
      // Nothing tells when the edge has read the first part; a pause makes the split all but certain (as over a
      // real network). A correct edge passes whatever the timing.
      Thread.sleep(200);
      connection.send(request.substring(12));

      RawResponse response = connection.readResponse();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
    }
  }

  @Test
  void requestHeadersReachTheOriginInOrderWithRepeats() throws Exception {
    String uri = "/headers/order";
    send(RawRequest.get(uri).header("X-Multi", "1").header("X-Other", "a").header("X-Multi", "2")
        .header("Cookie", "c=1").header("X-Multi", "3"));

    RecordedRequest seen = OriginRequests.take(tunnel.origin(), uri);
    List<Header> interesting = seen.headers().stream()
        .filter(h -> Set.of("x-multi", "x-other", "cookie").contains(h.name().toLowerCase(Locale.ROOT))).toList();
    assertThat(interesting).containsExactly(new Header("X-Multi", "1"), new Header("X-Other", "a"),
        new Header("X-Multi", "2"), new Header("Cookie", "c=1"), new Header("X-Multi", "3"));
  }

  @Test
  void hopByHopHeadersDoNotReachTheOrigin() throws Exception {
    String uri = "/headers/hop-by-hop";
    send(RawRequest.get(uri).header("Connection", "keep-alive, X-Custom").header("X-Custom", "secret")
        .header("Keep-Alive", "timeout=5").header("TE", "trailers").header("Upgrade", "websocket")
        .header("Proxy-Connection", "keep-alive").header("X-Kept", "yes"));

    RecordedRequest seen = OriginRequests.take(tunnel.origin(), uri);
    for (String name : List.of("X-Custom", "Keep-Alive", "TE", "Upgrade", "Proxy-Connection")) {
      assertThat(seen.headerValues(name)).as(name + " in " + seen.headers()).isEmpty();
    }
    assertThat(String.join(",", seen.headerValues("Connection")).toLowerCase(Locale.ROOT))
        .doesNotContain("x-custom");
    assertThat(seen.headerValues("X-Kept")).containsExactly("yes");
  }

  @Test
  void forwardedForAppendsTheVisitorToTheChain() throws Exception {
    String uri = "/headers/xff-chain";
    send(RawRequest.get(uri).header("X-Forwarded-For", "1.2.3.4"));

    assertThat(OriginRequests.take(tunnel.origin(), uri).headerValues("X-Forwarded-For"))
        .containsExactly("1.2.3.4, 127.0.0.1");
  }

  @Test
  void forwardedForNamesTheVisitorWhenItSentNone() throws Exception {
    String uri = "/headers/xff-new";
    send(RawRequest.get(uri));

    assertThat(OriginRequests.take(tunnel.origin(), uri).headerValues("X-Forwarded-For")).containsExactly("127.0.0.1");
  }

  @Test
  void forwardedHostAndProtoDescribeThePublicRequest() throws Exception {
    String uri = "/headers/forwarded";
    send(RawRequest.get(uri));

    RecordedRequest seen = OriginRequests.take(tunnel.origin(), uri);
    assertThat(seen.headerValues("X-Forwarded-Host")).containsExactly(tunnel.host());
    assertThat(seen.headerValues("X-Forwarded-Proto")).containsExactly("http");
  }

  @Test
  void hostIsRewrittenToTheTargetByDefault() throws Exception {
    String uri = "/headers/host-rewrite";
    send(RawRequest.get(uri));

    assertThat(OriginRequests.take(tunnel.origin(), uri).headerValues("Host"))
        .containsExactly("localhost:" + tunnel.origin().port());
  }

  @Test
  void hostIsKeptAsTheVisitorSentItWithPreserve() throws Exception {
    String uri = "/headers/host-preserve";
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get(uri).host(tunnel.host(PRESERVING)));

    assertThat(response.status()).isEqualTo(200);
    assertThat(OriginRequests.take(tunnel.origin(), uri).headerValues("Host")).containsExactly(tunnel.host(PRESERVING));
  }
}
