package dev.grok.client.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request head the local service receives, encoded on an EmbeddedChannel as the wire shows it. */
class LocalRequestsTest {
  private static final HostRule REWRITE = new HostRule("rewrite", "localhost:3000");

  @Test
  void methodTargetAndRepeatedHeadersAreKeptInOrder() {
    String wire = encode(head("GET", "/a%2Fb?x=%20", true, "Host", "demo.example", "Accept", "a",
        "X-Forwarded-For", "203.0.113.7", "Accept", "b"), REWRITE);
    assertThat(wire).isEqualTo("GET /a%2Fb?x=%20 HTTP/1.1\r\nHost: localhost:3000\r\nAccept: a\r\n"
        + "X-Forwarded-For: 203.0.113.7\r\nAccept: b\r\n\r\n");
  }

  @Test
  void hostRules() {
    RequestHead h = head("GET", "/", true, "Host", "demo.example:8080");
    assertThat(LocalRequests.build(h, REWRITE).headers().get("Host")).isEqualTo("localhost:3000");
    assertThat(LocalRequests.build(h, new HostRule("preserve", "localhost:3000")).headers().get("Host"))
        .isEqualTo("demo.example:8080");
    assertThat(LocalRequests.build(h, new HostRule("app.test", "localhost:3000")).headers().get("Host"))
        .isEqualTo("app.test");
  }

  @Test
  void missingHostIsAddedEvenInPreserveMode() {
    RequestHead h = head("GET", "/", true);
    assertThat(LocalRequests.build(h, new HostRule("preserve", "localhost:3000")).headers().get("Host"))
        .isEqualTo("localhost:3000");
  }

  @Test
  void bodyWithoutLengthIsChunked() {
    HttpRequest r = LocalRequests.build(head("POST", "/", false), REWRITE);
    assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(r.headers().get("Content-Length")).isNull();
  }

  @Test
  void contentLengthIsKept() {
    HttpRequest r = LocalRequests.build(head("POST", "/", false, "Content-Length", "12"), REWRITE);
    assertThat(r.headers().get("Content-Length")).isEqualTo("12");
    assertThat(r.headers().get("Transfer-Encoding")).isNull();
  }

  @Test
  void noBodyGetsLengthZeroOnlyForMethodsThatCarryBodies() {
    assertThat(LocalRequests.build(head("PUT", "/", true), REWRITE).headers().get("Content-Length"))
        .isEqualTo("0");
    assertThat(LocalRequests.build(head("GET", "/", true), REWRITE).headers().get("Content-Length")).isNull();
    assertThat(LocalRequests.build(head("DELETE", "/", true), REWRITE).headers().names())
        .containsExactly("Host");
  }

  @Test
  void hopByHopHeadersFromTheTunnelAreDropped() {
    HttpRequest r = LocalRequests.build(head("GET", "/", true, "Connection", "close", "Transfer-Encoding",
        "chunked", "Keep-Alive", "timeout=5", "X-Kept", "1"), REWRITE);
    assertThat(r.headers().names()).containsExactlyInAnyOrder("Host", "X-Kept");
  }

  @Test
  void invalidMethodIsRejected() {
    assertThatThrownBy(() -> LocalRequests.build(head("BAD METHOD", "/", true), REWRITE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void upgradeKeepsUpgradeAndConnectionUpgrade() {
    RequestHead h = head("GET", "/ws?x=1", true, "Host", "demo.example", "Connection", "Upgrade", "Upgrade",
        "websocket", "Sec-WebSocket-Key", "k").toBuilder().setUpgrade(true).build();
    String wire = encode(h, REWRITE);
    assertThat(wire).isEqualTo("GET /ws?x=1 HTTP/1.1\r\nHost: localhost:3000\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\nSec-WebSocket-Key: k\r\n\r\n");
  }

  @Test
  void upgradeHeadersOfAPlainRequestAreDropped() {
    HttpRequest r = LocalRequests.build(head("GET", "/", true, "Connection", "Upgrade", "Upgrade", "websocket"),
        REWRITE);
    assertThat(r.headers().contains("Upgrade")).isFalse();
    assertThat(r.headers().contains("Connection")).isFalse();
  }

  @Test
  void upgradeWithoutAnUpgradeHeaderIsRefused() {
    RequestHead h = head("GET", "/", true, "Connection", "Upgrade").toBuilder().setUpgrade(true).build();
    assertThatThrownBy(() -> LocalRequests.build(h, REWRITE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Upgrade header");
  }

  private static RequestHead head(String method, String uri, boolean end, String... headers) {
    RequestHead.Builder b = RequestHead.newBuilder().setMethod(method).setUri(uri).setEndOfBody(end);
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeaders(Header.newBuilder().setName(headers[i]).setValue(headers[i + 1]));
    }
    return b.build();
  }

  private static String encode(RequestHead head, HostRule rule) {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestEncoder());
    ch.writeOutbound(LocalRequests.build(head, rule), LastHttpContent.EMPTY_LAST_CONTENT);
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      out.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    ch.finishAndReleaseAll();
    return out.toString();
  }
}
