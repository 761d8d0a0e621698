package dev.grok.client;

import static dev.grok.client.FakeStream.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grok.protocol.v1.LocalFailure;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keep-alive connections to the local service: when they are reused, retried, or dropped. */
class LocalConnectionTest extends ClientTestBase {

  @Test
  void keepAliveConnectionIsReusedAcrossStreams() throws Exception {
    startReadyClient();
    FakeStream first = tunnel.nextStream(WAIT);
    FakeStream second = tunnel.nextStream(WAIT);
    first.sendRequest("GET", "/1", List.of(), null);
    first.awaitResponse(WAIT);
    second.sendRequest("GET", "/2", List.of(), null);
    second.awaitResponse(WAIT);

    assertThat(origin.nextRequest(WAIT).clientPort()).isEqualTo(origin.nextRequest(WAIT).clientPort());
  }

  @Test
  void connectionCloseResponseIsNotReused() throws Exception {
    origin.responder = (req, ctx) -> {
      var r = new io.netty.handler.codec.http.DefaultFullHttpResponse(
          io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK);
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    };
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("GET", "/1", List.of(), null);
    assertThat(stream.awaitResponse(WAIT).header("Connection")).as("hop-by-hop, not forwarded").isNull();
    stream.sendRequest("GET", "/2", List.of(), null);
    stream.awaitResponse(WAIT);

    assertThat(origin.nextRequest(WAIT).clientPort()).isNotEqualTo(origin.nextRequest(WAIT).clientPort());
  }

  @Test
  void stalePooledConnectionIsRetriedOnceOnAFreshOne() throws Exception {
    // Every connection answers its first request and closes at its second, like a server whose keep-alive
    // timeout fired just as the request arrived.
    try (RawOrigin raw = new RawOrigin((head, n, in, out) -> {
      if (n > 1) {
        return false;
      }
      RawOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      return true;
    })) {
      startClient(FakeTunnelServer.TOKEN, "demo", null, raw.port());
      assertThat(listener.next(WAIT).type()).isEqualTo("ready");
      FakeStream stream = tunnel.nextStream(WAIT);

      stream.sendRequest("GET", "/1", List.of(), null);
      assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
      stream.sendRequest("GET", "/2", List.of(), null);
      FakeStream.FakeResponse second = stream.awaitResponse(WAIT);

      assertThat(second.failure()).isNull();
      assertThat(new String(second.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
      assertThat(raw.connections.get()).isEqualTo(2);
      assertThat(raw.requests.get()).isEqualTo(3);
    }
  }

  @Test
  void responseBeforeTheWholeRequestBodyKeepsTheStreamUntilTheRequestEnds() throws Exception {
    try (RawOrigin raw = new RawOrigin((head, n, in, out) -> {
      RawOrigin.write(out, "HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\n\r\nbig!");
      return true; // reads the body as the next request head: the client must not reuse this connection
    })) {
      startClient(FakeTunnelServer.TOKEN, "demo", null, raw.port());
      assertThat(listener.next(WAIT).type()).isEqualTo("ready");
      FakeStream stream = tunnel.nextStream(WAIT);

      stream.sendHead("POST", "/upload", List.of(header("Content-Length", "10")), false);
      FakeStream.FakeResponse early = stream.awaitResponse(WAIT);
      assertThat(early.head().getStatus()).isEqualTo(413);
      assertThat(new String(early.body(), StandardCharsets.US_ASCII)).isEqualTo("big!");
      stream.sendData(ByteString.copyFromUtf8("0123456789"), true);

      stream.sendRequest("GET", "/next", List.of(), null);
      assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(413);
      assertThat(raw.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void invalidRequestHeadIsAProtocolFailure() throws Exception {
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendRequest("BAD METHOD", "/", List.of(), null);

    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);
    assertThat(response.failure().getKind()).isEqualTo(LocalFailure.Kind.PROTOCOL);
    assertThat(response.failure().getMessage()).startsWith("invalid request");
    // The stream is still good for the next exchange.
    stream.sendRequest("GET", "/", List.of(), null);
    assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
  }

  @Test
  void leftoverBodyAfterALocalFailureIsDropped() throws Exception {
    int port = closedPort();
    startClient(FakeTunnelServer.TOKEN, "demo", null, port);
    assertThat(listener.next(WAIT).type()).isEqualTo("ready");
    FakeStream stream = tunnel.nextStream(WAIT);

    stream.sendHead("POST", "/", List.of(header("Content-Length", "6")), false);
    assertThat(stream.awaitResponse(WAIT).failure().getKind()).isEqualTo(LocalFailure.Kind.REFUSED);
    stream.sendData(ByteString.copyFromUtf8("abc"), false);
    stream.sendData(ByteString.copyFromUtf8("def"), true);
    stream.sendRequest("GET", "/", List.of(), null);

    assertThat(stream.awaitResponse(WAIT).failure().getKind()).isEqualTo(LocalFailure.Kind.REFUSED);
    assertThat(stream.frames).isEmpty();
  }
}
