package dev.grok.server.edge.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle deadline of an HTTP/2 connection, on a frozen clock: streams keep it open, none for 75 s closes it. */
class Http2IdleHandlerTest {
  @Test
  void connectionWithoutStreamsClosesAtTheIdleDeadlineAndAnActiveStreamKeepsItOpen() throws Exception {
    EdgeGuardMetrics metrics = new EdgeGuardMetrics(new SimpleMeterRegistry());
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
    ch.pipeline().addLast(codec).addLast(new Http2IdleHandler(EdgeGuardConfig.DEFAULTS, metrics));
    try {
      // a stream the visitor opened (as the codec does on HEADERS): the deadline stops while it is active
      Http2Stream stream = codec.connection().remote().createStream(1, false);
      ch.advanceTimeBy(600, TimeUnit.SECONDS);
      ch.runScheduledPendingTasks();
      assertThat(ch.isActive()).isTrue();

      stream.close();
      ch.advanceTimeBy(74, TimeUnit.SECONDS);
      ch.runScheduledPendingTasks();
      assertThat(ch.isActive()).isTrue();
      ch.advanceTimeBy(1, TimeUnit.SECONDS);
      ch.runScheduledPendingTasks();
      assertThat(ch.isActive()).isFalse();
      assertThat(metrics.timeoutCount("idle")).isEqualTo(1.0);
    } finally {
      Object out;
      while ((out = ch.readOutbound()) != null) {
        ReferenceCountUtil.release(out);
      }
      ch.finishAndReleaseAll();
    }
  }
}
