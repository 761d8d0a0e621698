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
}
