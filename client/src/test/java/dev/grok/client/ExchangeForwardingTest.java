package dev.grok.client;

import static dev.grok.client.FakeStream.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.LocalFailure;
import dev.grok.testing.Await;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One exchange at a time, from a request head on a standby stream to the local service and back. */
class ExchangeForwardingTest extends ClientTestBase {

  @Test
  void getRoundTripKeepsStatusRepeatedHeadersInOrderAndBody() throws Exception {
    origin.responder = (req, ctx) -> {
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED,
          Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
      r.headers().add("Set-Cookie", "a=1").add("X-Other", "x").add("Set-Cookie", "b=2");
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
      ctx.writeAndFlush(r);
    };
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/path?q=1", List.of(header("Host", "demo.grok.test:8080"), header("X-A", "1"),
        header("X-B", "2"), header("X-A", "3")), null);

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.failure()).isNull();
    assertThat(response.head().getStatus()).isEqualTo(201);
    assertThat(response.head().getReason()).isEqualTo("Created");
    assertThat(response.headers("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(response.header("Content-Length")).isEqualTo("5");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("hello");

    RecordingOrigin.Recorded seen = origin.nextRequest(WAIT);
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.headers().stream().filter(e -> e.getKey().startsWith("X-")).toList())
        .containsExactly(Map.entry("X-A", "1"), Map.entry("X-B", "2"), Map.entry("X-A", "3"));
    assertThat(seen.header("Content-Length")).isNull();
    assertThat(seen.header("Transfer-Encoding")).isNull();
  }

  @Test
  void postOfOneMebibyteIsByteExactBothWays() throws Exception {
    byte[] body = new byte[1024 * 1024];
    new Random(42).nextBytes(body);
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("POST", "/upload", List.of(header("Content-Length", String.valueOf(body.length))), body);

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.head().getStatus()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    RecordingOrigin.Recorded seen = origin.nextRequest(WAIT);
    assertThat(seen.body()).isEqualTo(body);
    assertThat(seen.header("Content-Length")).isEqualTo(String.valueOf(body.length));
  }

  @Test
  void bodyWithoutContentLengthIsSentChunked() throws Exception {
    byte[] body = new byte[200_000];
    new Random(7).nextBytes(body);
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("PUT", "/chunked", List.of(), body);

    assertThat(stream.awaitResponse(WAIT).body()).isEqualTo(body);
    RecordingOrigin.Recorded seen = origin.nextRequest(WAIT);
    assertThat(seen.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(seen.body()).isEqualTo(body);
  }

  @Test
  void emptyPostGetsContentLengthZero() throws Exception {
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("POST", "/empty", List.of(), null);

    assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    assertThat(origin.nextRequest(WAIT).header("Content-Length")).isEqualTo("0");
  }

  @Test
  void rawRequestTargetReachesOriginUnchanged() throws Exception {
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/a%2Fb?x=%20", List.of(), null);

    stream.awaitResponse(WAIT);
    assertThat(origin.nextRequest(WAIT).uri()).isEqualTo("/a%2Fb?x=%20");
  }

  @Test
  void hostIsRewrittenToTheTargetByDefault() throws Exception {
    startReadyClient("rewrite");
    assertThat(hostSeenByOrigin()).isEqualTo("127.0.0.1:" + origin.port());
  }

  @Test
  void hostIsKeptInPreserveMode() throws Exception {
    startReadyClient("preserve");
    assertThat(hostSeenByOrigin()).isEqualTo("demo.grok.test:8080");
  }

  @Test
  void hostIsALiteralValueOtherwise() throws Exception {
    startReadyClient("app.internal");
    assertThat(hostSeenByOrigin()).isEqualTo("app.internal");
  }

  private String hostSeenByOrigin() throws InterruptedException {
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/", List.of(header("Host", "demo.grok.test:8080")), null);
    stream.awaitResponse(WAIT);
    RecordingOrigin.Recorded seen = origin.nextRequest(WAIT);
    assertThat(seen.headers("Host")).hasSize(1);
    return seen.header("Host");
  }

  @Test
  void headResponseHeadEndsTheBodyAndKeepsContentLength() throws Exception {
    origin.responder = (req, ctx) -> {
      if (!req.method().equals("HEAD")) {
        RecordingOrigin.ECHO.respond(req, ctx);
        return;
      }
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1234);
      ctx.writeAndFlush(r);
    };
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("HEAD", "/", List.of(), null);

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.head().getEndOfBody()).isTrue();
    assertThat(response.header("Content-Length")).isEqualTo("1234");
    // The same stream and the same pooled connection serve the next exchange.
    stream.sendRequest("GET", "/after-head", List.of(), null);
    assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    assertThat(origin.nextRequest(WAIT).clientPort()).isEqualTo(origin.nextRequest(WAIT).clientPort());
  }

  @Test
  void interimContinueIsSkipped() throws Exception {
    origin.responder = (req, ctx) -> {
      ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      RecordingOrigin.ECHO.respond(req, ctx);
    };
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("POST", "/", List.of(header("Content-Length", "3")), "abc".getBytes(StandardCharsets.UTF_8));

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.head().getStatus()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("abc");
  }

  @Test
  void localServiceDownAnswersRefusedWithinOneSecond() throws Exception {
    int port = closedPort();
    startClient(FakeTunnelServer.TOKEN, "demo", null, port);
    assertThat(listener.next(WAIT).type()).isEqualTo("ready");
    FakeStream stream = tunnel.nextStream(WAIT);

    long start = System.nanoTime();
    stream.sendRequest("GET", "/", List.of(), null);
    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.failure()).isNotNull();
    assertThat(response.failure().getKind()).isEqualTo(LocalFailure.Kind.REFUSED);
    assertThat(response.failure().getMessage()).isEqualTo("connection refused: 127.0.0.1:" + port);
    assertThat(millis).isLessThan(1000);
  }

  @Test
  void localServiceClosingBeforeTheHeadGivesReset() throws Exception {
    origin.responder = (req, ctx) -> ctx.close();
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/", List.of(), null);

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.failure().getKind()).isEqualTo(LocalFailure.Kind.RESET);
  }

  @Test
  void switchingProtocolsToAPlainRequestIsAProtocolFailure() throws Exception {
    origin.responder = (req, ctx) -> {
      HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
      r.headers().set(HttpHeaderNames.UPGRADE, "websocket").set(HttpHeaderNames.CONNECTION, "upgrade");
      ctx.writeAndFlush(r);
    };
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/ws", List.of(), null);

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.failure().getKind()).isEqualTo(LocalFailure.Kind.PROTOCOL);
    assertThat(response.failure().getMessage()).contains("101 Switching Protocols")
        .contains("asked for no upgrade");
  }

  @Test
  void localServiceFailingAfterTheHeadCancelsTheStream() throws Exception {
    origin.responder = (req, ctx) -> {
      HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1000);
      ctx.write(r);
      ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])))
          .addListener(ChannelFutureListener.CLOSE);
    };
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/", List.of(), null);

    // The cancel may overtake the head at the server (gRPC drops undelivered messages of a cancelled call), so
    // only the end is certain: cancelled, and never a clean response end.
    assertThat(Await.get(stream.ended, WAIT, "stream end")).startsWith("cancelled");
    assertThat(stream.frames).noneMatch(f -> f.hasLocalFailure() || f.getData().getEndOfBody());
  }
}
