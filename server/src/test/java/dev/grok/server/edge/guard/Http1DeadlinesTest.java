package dev.grok.server.edge.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The header, body and idle deadlines of {@link Http1RequestGuard} on a frozen clock. */
class Http1DeadlinesTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: demo.localhost\r\n\r\n";

  @Test
  void slowlorisTricklingItsHeadIsCutAtTheWholeHeadDeadline() {
    try (GuardedChannel c = new GuardedChannel()) {
      String head = "GET / HTTP/1.1\r\nHost: demo.localhost\r\nX-Padding: " + "p".repeat(100);
      int i = 0;
      // one byte every 500 ms: each byte is "recent", yet the head as a whole is late
      while (c.refusal() == null && i < head.length()) {
        c.send(head.substring(i, i + 1));
        i++;
        c.advance(Duration.ofMillis(500));
      }
      assertThat(c.refusal()).isNotNull();
      assertThat(c.refusal().status()).isEqualTo(408);
      assertThat(i).as("bytes sent before the cut").isEqualTo(60);
      assertThat(c.metrics.timeoutCount("header")).isEqualTo(1.0);
      assertThat(c.passed()).isEmpty();
    }
  }

  @Test
  void aConnectionThatSendsNothingGets408AtTheHeaderDeadline() {
    try (GuardedChannel c = new GuardedChannel()) {
      c.advance(Duration.ofSeconds(29));
      assertThat(c.refusal()).isNull();
      c.advance(Duration.ofSeconds(1));
      assertThat(c.refusal().status()).isEqualTo(408);
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosedAfterTheIdleDeadline() {
    try (GuardedChannel c = new GuardedChannel()) {
      c.send(GET);
      c.advance(Duration.ofSeconds(200));
      assertThat(c.channel.isActive()).as("an exchange is open: no deadline runs").isTrue();
      c.guard.exchangeEnded();
      c.advance(Duration.ofSeconds(74));
      assertThat(c.channel.isActive()).isTrue();
      c.advance(Duration.ofSeconds(1));
      assertThat(c.channel.isActive()).isFalse();
      assertThat(c.refusal()).as("closed without an answer").isNull();
      assertThat(c.metrics.timeoutCount("idle")).isEqualTo(1.0);
    }
  }

  @Test
  void theNextHeadGetsItsOwnHeaderDeadline() {
    try (GuardedChannel c = new GuardedChannel()) {
      c.send(GET);
      c.guard.exchangeEnded();
      c.advance(Duration.ofSeconds(70));
      c.send("GET / HT");
      c.advance(Duration.ofSeconds(29));
      assertThat(c.refusal()).isNull();
      assertThat(c.channel.isActive()).as("the idle deadline gave way").isTrue();
      c.advance(Duration.ofSeconds(1));
      assertThat(c.refusal().reason()).isEqualTo("header_timeout");
    }
  }

  @Test
  void bodyPausingWhileTheEdgeWantsToReadIsCut() {
    try (GuardedChannel c = new GuardedChannel(false)) {
      c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
      c.read();
      c.advance(Duration.ofSeconds(59));
      assertThat(c.refusal()).isNull();
      c.advance(Duration.ofSeconds(1));
      assertThat(c.refusal().reason()).isEqualTo("body_timeout");
      assertThat(c.metrics.timeoutCount("body")).isEqualTo(1.0);
    }
  }

  @Test
  void bodyHeldBackByBackpressureIsNotCut() {
    try (GuardedChannel c = new GuardedChannel(false)) {
      c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
      // no read() asked: the edge is not reading (the tunnel is not ready)
      c.advance(Duration.ofSeconds(600));
      assertThat(c.refusal()).isNull();
      assertThat(c.channel.isActive()).isTrue();
      c.read();
      c.send("defg");
      c.read();
      c.advance(Duration.ofSeconds(59));
      assertThat(c.refusal()).as("each byte restarts the pause").isNull();
      c.send("hij");
      assertThat(c.passed()).endsWith("abcdefghij");
    }
  }

  @Test
  void upgradedConnectionLosesItsDeadlinesAndPassesRawBytes() {
    try (GuardedChannel c = new GuardedChannel()) {
      c.channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
          Http1RequestGuard.removeFrom(ctx.pipeline()); // as EdgeUpgrade.stopDecoding does
          ctx.fireChannelRead(msg);
        }
      });
      c.send("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n\u0000\u0001raw\n");
      assertThat(c.passed()).endsWith("\r\n\r\n\u0000\u0001raw\n");
      c.advance(Duration.ofSeconds(3600));
      assertThat(c.refusal()).isNull();
      assertThat(c.channel.isActive()).isTrue();
    }
  }
}
