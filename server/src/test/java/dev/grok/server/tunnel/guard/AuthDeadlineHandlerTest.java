package dev.grok.server.tunnel.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.metrics.Rejections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The authentication deadline and the cap of waiting connections, on EmbeddedChannel's fake clock. */
class AuthDeadlineHandlerTest {
  private final Rejections rejections = new Rejections(new SimpleMeterRegistry());
  private final TunnelConnections connections = new TunnelConnections(Duration.ofSeconds(10), 2, rejections);

  private EmbeddedChannel connection() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new AuthDeadlineHandler(connections));
    return ch;
  }

  @Test
  void aConnectionWithoutAnAuthenticatedCallIsClosedAtTheDeadline() {
    EmbeddedChannel ch = connection();
    ch.advanceTimeBy(9_999, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
    assertThat(rejections.tunnelPortCount("auth_timeout")).isEqualTo(1);
    assertThat(connections.unauthenticated()).isZero();
  }

  @Test
  void anAuthenticatedConnectionStaysAndLeavesTheCount() {
    EmbeddedChannel ch = connection();
    assertThat(connections.unauthenticated()).isEqualTo(1);
    AuthDeadlineHandler handler = ch.pipeline().get(AuthDeadlineHandler.class);
    handler.authenticated();
    assertThat(connections.unauthenticated()).isZero();
    assertThat(ch.pipeline().get(AuthDeadlineHandler.class)).isNull();
    ch.advanceTimeBy(1, TimeUnit.HOURS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void beyondTheCapANewConnectionIsClosedAtOnce() {
    EmbeddedChannel first = connection();
    EmbeddedChannel second = connection();
    EmbeddedChannel third = connection();
    assertThat(third.isOpen()).isFalse();
    assertThat(rejections.tunnelPortCount("unauthenticated_limit")).isEqualTo(1);
    assertThat(connections.unauthenticated()).isEqualTo(2);
    first.close();
    assertThat(connections.unauthenticated()).isEqualTo(1);
    assertThat(connection().isOpen()).isTrue();
    second.close();
  }
}
