package dev.grok.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HopByHopTest {
  @Test
  void dropsFixedAndConnectionListedHeadersInAnyCaseKeepingOrderAndRepeats() {
    HttpHeaders h = new DefaultHttpHeaders()
        .add("Set-Cookie", "a=1")
        .add("CONNECTION", "X-Custom, keep-alive")
        .add("Keep-Alive", "timeout=5")
        .add("x-custom", "secret")
        .add("Transfer-Encoding", "chunked")
        .add("TE", "trailers")
        .add("Upgrade", "websocket")
        .add("Set-Cookie", "b=2")
        .add("Content-Length", "3");
    List<Map.Entry<String, String>> kept = HopByHop.endToEnd(h);
    assertThat(kept).containsExactly(Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2"),
        Map.entry("Content-Length", "3"));
  }

  @Test
  void similarNamesAreNotHopByHop() {
    assertThat(HopByHop.isHopByHop("Tee", java.util.Set.of())).isFalse();
    assertThat(HopByHop.isHopByHop("Connections", java.util.Set.of())).isFalse();
    assertThat(HopByHop.isHopByHop("te", java.util.Set.of())).isTrue();
    assertThat(HopByHop.isHopByHop("Proxy-Authorization", java.util.Set.of())).isTrue();
  }

  @Test
  void upgradeKeepsUpgradeAndOneConnectionUpgradeButDropsTheOtherHopByHopHeaders() {
    HttpHeaders h = new DefaultHttpHeaders()
        .add("Host", "demo.localhost")
        .add("Connection", "keep-alive, Upgrade")
        .add("Upgrade", "websocket")
        .add("Keep-Alive", "timeout=5")
        .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    assertThat(HopByHop.isUpgrade(h)).isTrue();
    assertThat(HopByHop.endToEnd(h, true)).containsExactly(Map.entry("Host", "demo.localhost"),
        Map.entry("Connection", "Upgrade"), Map.entry("Upgrade", "websocket"),
        Map.entry("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
    assertThat(HopByHop.endToEnd(h, false)).extracting(Map.Entry::getKey)
        .containsExactly("Host", "Sec-WebSocket-Key");
  }

  @Test
  void upgradeHeaderWithoutTheConnectionTokenIsNoUpgrade() {
    assertThat(HopByHop.isUpgrade(new DefaultHttpHeaders().add("Upgrade", "websocket"))).isFalse();
    assertThat(HopByHop.isUpgrade(new DefaultHttpHeaders().add("Connection", "upgrade"))).isFalse();
    assertThat(HopByHop.isUpgrade(new DefaultHttpHeaders().add("Connection", "Upgrade")
        .add("Upgrade", "h2c"))).isTrue();
  }
}
