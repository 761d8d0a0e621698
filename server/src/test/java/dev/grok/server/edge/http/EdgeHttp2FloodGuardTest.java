package dev.grok.server.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The control-frame budget of an HTTP/2 connection on a fake clock. */
class EdgeHttp2FloodGuardTest {
  private final AtomicLong nanos = new AtomicLong();
  private int passedOn;
  private final EdgeHttp2FloodGuard guard = new EdgeHttp2FloodGuard(new Http2EventAdapter() {
    @Override
    public void onPingRead(io.netty.channel.ChannelHandlerContext ctx, long data) {
      passedOn++;
    }
  }, nanos::get, 5, 10);

  @Test
  void theFrameBeyondTheBudgetIsAConnectionErrorEnhanceYourCalm() throws Exception {
    for (int i = 0; i < 5; i++) {
      guard.onPingRead(null, i);
    }
    assertThat(passedOn).isEqualTo(5);
    assertThatThrownBy(() -> guard.onSettingsRead(null, new Http2Settings()))
        .isInstanceOfSatisfying(Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM))
        .hasMessageContaining(EdgeHttp2FloodGuard.MESSAGE).hasMessageContaining("SETTINGS");
  }

  @Test
  void theBudgetComesBackWithTheNextWindow() throws Exception {
    for (int i = 0; i < 5; i++) {
      guard.onPingRead(null, i);
    }
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
    for (int i = 0; i < 5; i++) {
      guard.onPriorityRead(null, 1, 0, (short) 16, false);
    }
    assertThatThrownBy(() -> guard.onPingRead(null, 0)).isInstanceOf(Http2Exception.class);
  }
}
