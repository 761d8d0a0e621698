package dev.grok.server.edge.guard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Http1RequestGuard} alone on an {@code EmbeddedChannel} with a frozen clock: what a test writes in is
 * what a visitor sends, {@link #passed()} is what reached the decoder, {@link #refusal()} what was refused.
 */
final class GuardedChannel implements AutoCloseable {
  static final EdgeGuardConfig CONFIG = EdgeGuardConfig.DEFAULTS;

  final EmbeddedChannel channel = new EmbeddedChannel();
  final Http1RequestGuard guard;
  final EdgeGuardMetrics metrics = new EdgeGuardMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  private final StringBuilder passed = new StringBuilder();
  private EdgeRefusal refusal;

  GuardedChannel() {
    this(true);
  }

  /** {@code autoRead} false: reads only when the test asks ({@link #read()}), as under backpressure. */
  GuardedChannel(boolean autoRead) {
    channel.config().setAutoRead(autoRead);
    channel.freezeTime();
    guard = new Http1RequestGuard(CONFIG, metrics);
    channel.pipeline().addLast(Http1RequestGuard.NAME, guard);
  }

  GuardedChannel send(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    drain();
    return this;
  }

  /** Sends {@code text} one byte per write. */
  GuardedChannel trickle(String text) {
    for (int i = 0; i < text.length(); i++) {
      send(text.substring(i, i + 1));
    }
    return this;
  }

  void read() {
    channel.read();
  }

  void advance(Duration d) {
    channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    drain();
  }

  private void drain() {
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      if (msg instanceof ByteBuf b) {
        passed.append(b.toString(StandardCharsets.ISO_8859_1));
        b.release();
      } else if (msg instanceof EdgeRefusal r) {
        if (refusal != null) {
          throw new AssertionError("two refusals: " + refusal + " and " + r);
        }
        refusal = r;
      } else {
        throw new AssertionError("unexpected " + msg);
      }
    }
  }

  /** Everything that passed to the decoder so far. */
  String passed() {
    return passed.toString();
  }

  /** The refusal, or null. */
  EdgeRefusal refusal() {
    return refusal;
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }
}
