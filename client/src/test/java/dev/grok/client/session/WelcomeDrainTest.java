package dev.grok.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.Welcome;
import org.junit.jupiter.api.Test;

/** After GoingAway the client drains for as long as the server's response timeout, as its Welcome says. */
class WelcomeDrainTest {
  @Test
  void drainLastsTheResponseTimeoutTheServerTold() {
    assertThat(ControlAttempt.drainMillis(Welcome.newBuilder().setResponseTimeoutMillis(5_000).build()))
        .isEqualTo(5_000);
  }

  @Test
  void serverThatDoesNotTellGetsTheDefault() {
    assertThat(ControlAttempt.drainMillis(Welcome.getDefaultInstance()))
        .isEqualTo(ControlAttempt.DEFAULT_DRAIN_MILLIS).isEqualTo(60_000);
  }

  @Test
  void absurdlyLongTimeoutIsBounded() {
    assertThat(ControlAttempt.drainMillis(Welcome.newBuilder().setResponseTimeoutMillis(-1).build()))
        .isEqualTo(ControlAttempt.MAX_DRAIN_MILLIS);
  }
}
