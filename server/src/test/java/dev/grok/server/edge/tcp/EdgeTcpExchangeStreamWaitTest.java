package dev.grok.server.edge.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.EventLoops;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.server.registry.RecordingOwner;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.stream.RecordingServerCall;
import dev.grok.server.stream.TunnelStream;
import dev.grok.testing.leak.LeakDetection;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TCP visitor's wait for a standby stream, on the channel's frozen clock: bounded by the TCP edge's own
 * {@link EdgeTcpServer#STREAM_WAIT_MILLIS}, not by the HTTP response timeout.
 */
@ExtendWith(LeakDetection.class)
class EdgeTcpExchangeStreamWaitTest {
  private static final int PORT = 10_001;

  private final TunnelRegistry registry = new TunnelRegistry(10);
  private final RecordingOwner owner = new RecordingOwner(registry);
  private EventLoops loops;
  private EdgeTcpServer edge;
  private EmbeddedChannel visitor;

  @BeforeEach
  void start() throws Exception {
    registry.registerPort(PORT, 1, "alice", owner);
    loops = EventLoops.create("tcp-wait-test", 1); // the edge's bootstrap needs a group; nothing is bound here
    edge = new EdgeTcpServer(loops, "127.0.0.1", "localhost", PortRange.parse("10000-10010"), registry);
    visitor = new EmbeddedChannel();
    visitor.freezeTime(); // before the exchange schedules its wait: the wait then runs wholly on the frozen clock
    visitor.pipeline().addLast(new EdgeTcpExchange(edge, PORT));
    visitor.pipeline().fireChannelActive(); // the connection is accepted now, for the handler added after the fact
  }

  @AfterEach
  void stop() {
    visitor.finishAndReleaseAll();
    loops.close();
  }

  @Test
  void visitorWithoutAStreamIsClosedAfterTheStreamWait() {
    assertThat(owner.streams().waitingExchanges()).isEqualTo(1);
    assertThat(owner.demanded).as("the client is asked for streams").isNotEmpty();

    visitor.advanceTimeBy(EdgeTcpServer.STREAM_WAIT_MILLIS - 1, TimeUnit.MILLISECONDS);
    visitor.runScheduledPendingTasks();
    assertThat(visitor.isOpen()).as("still waiting").isTrue();

    visitor.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    visitor.runScheduledPendingTasks();
    assertThat(visitor.isOpen()).isFalse();
    assertThat(owner.streams().waitingExchanges()).as("no longer waiting").isZero();
  }

  @Test
  void streamArrivingInTimeOpensTheExchangeAndEndsTheWait() {
    RecordingServerCall<ServerFrame> call = new RecordingServerCall<>();
    owner.streams().add(new TunnelStream(call, owner.streams()));
    visitor.runPendingTasks();
    assertThat(call.sent).singleElement().satisfies(f -> {
      assertThat(f.hasTcpOpen()).isTrue();
      assertThat(f.getTcpOpen().getTunnelId()).isEqualTo(1);
    });

    visitor.advanceTimeBy(EdgeTcpServer.STREAM_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    visitor.runScheduledPendingTasks();
    assertThat(visitor.isOpen()).as("the wait ended with the stream").isTrue();
  }
}
