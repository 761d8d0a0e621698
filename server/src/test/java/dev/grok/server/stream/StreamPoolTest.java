package dev.grok.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.Retire;
import dev.grok.protocol.v1.ServerFrame;
import io.grpc.Status;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standby pool without sockets: streams on {@link RecordingServerCall}s, exchanges that record what they are
 * handed. Everything runs on the test thread, except where a stream's loop matters (then streams are created on
 * two real, socket-less event loops).
 */
class StreamPoolTest {
  private final List<Integer> demanded = new ArrayList<>();
  private final StreamPool pool = new StreamPool(demanded::add);
  /** A loop for exchanges that no stream runs on. */
  private final EventLoop elsewhere = new DefaultEventLoop();
  private final List<EventLoop> loops = new ArrayList<>(List.of(elsewhere));

  @AfterEach
  void stopLoops() {
    for (EventLoop l : loops) {
      l.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private RecordingServerCall<ServerFrame> call() {
    return new RecordingServerCall<>();
  }

  private TunnelStream stream(RecordingServerCall<ServerFrame> call) {
    return new TunnelStream(call, pool);
  }

  @Test
  void idleStreamIsTakenAndComesBackAfterRelease() {
    RecordingServerCall<ServerFrame> call = call();
    TunnelStream s = stream(call);
    pool.add(s);
    assertThat(pool.idleStreams()).isEqualTo(1);
    assertThat(call.requested).as("an idle stream listens for Retire").hasValue(1);

    assertThat(pool.acquire(new RecordingExchange(elsewhere))).isSameAs(s);
    assertThat(pool.idleStreams()).isZero();

    s.release();
    assertThat(pool.idleStreams()).isEqualTo(1);
    assertThat(call.ended()).isNull();
  }

  @Test
  void exchangeWithoutIdleStreamWaitsAndGetsTheNextOneThatArrives() {
    RecordingExchange x = new RecordingExchange(elsewhere);
    assertThat(pool.acquire(x)).isNull();
    assertThat(pool.isClosed()).isFalse();
    assertThat(pool.waitingExchanges()).isEqualTo(1);
    assertThat(demanded).containsExactly(StreamPool.STREAM_DEMAND_BATCH);

    TunnelStream s = stream(call());
    pool.add(s);
    assertThat(x.assigned).containsExactly(s);
    assertThat(pool.waitingExchanges()).isZero();
    assertThat(pool.idleStreams()).isZero();
    assertThat(pool.streamsDemanded()).isEqualTo(StreamPool.STREAM_DEMAND_BATCH - 1);
  }

  @Test
  void waitingExchangeTakesAStreamGivenBackBeforeItGoesIdle() {
    TunnelStream s = stream(call());
    pool.add(s);
    assertThat(pool.acquire(new RecordingExchange(elsewhere))).isSameAs(s);
    RecordingExchange next = new RecordingExchange(elsewhere);
    assertThat(pool.acquire(next)).isNull();

    s.release();
    assertThat(next.assigned).containsExactly(s);
    assertThat(pool.idleStreams()).isZero();
  }

  @Test
  void streamsOnTheirWayAreNotAskedForTwice() {
    for (int i = 0; i < StreamPool.STREAM_DEMAND_BATCH; i++) {
      pool.acquire(new RecordingExchange(elsewhere));
    }
    assertThat(demanded).as("one batch covers the first waiters").containsExactly(StreamPool.STREAM_DEMAND_BATCH);

    pool.acquire(new RecordingExchange(elsewhere));
    assertThat(demanded).containsExactly(StreamPool.STREAM_DEMAND_BATCH, StreamPool.STREAM_DEMAND_BATCH);
  }

  @Test
  void tooManyWaitingExchangesAreRefusedWithTheLimitInTheMessage() {
    for (int i = 0; i < StreamPool.MAX_WAITING_EXCHANGES; i++) {
      pool.acquire(new RecordingExchange(elsewhere));
    }
    assertThatThrownBy(() -> pool.acquire(new RecordingExchange(elsewhere)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("limit " + StreamPool.MAX_WAITING_EXCHANGES);
  }

  @Test
  void exchangeThatStoppedWaitingIsNotHandedAStream() {
    RecordingExchange x = new RecordingExchange(elsewhere);
    pool.acquire(x);
    pool.cancelWait(x);
    pool.add(stream(call()));
    assertThat(x.assigned).isEmpty();
    assertThat(pool.idleStreams()).isEqualTo(1);
  }

  @Test
  void retiredIdleStreamEndsAtOnce() {
    RecordingServerCall<ServerFrame> call = call();
    TunnelStream s = stream(call);
    pool.add(s);
    s.onNext(ClientFrame.newBuilder().setRetire(Retire.getDefaultInstance()).build());
    assertThat(call.ended()).isEqualTo("completed");
    assertThat(pool.idleStreams()).isZero();
    assertThat(pool.acquire(new RecordingExchange(elsewhere))).isNull();
  }

  @Test
  void retireOfABusyStreamWaitsForItsExchangeAndKeepsItsResponseRequested() {
    RecordingServerCall<ServerFrame> call = call();
    TunnelStream s = stream(call);
    pool.add(s); // requests 1: the Retire below uses it up
    assertThat(pool.acquire(new RecordingExchange(elsewhere))).isSameAs(s);
    s.onNext(ClientFrame.newBuilder().setRetire(Retire.getDefaultInstance()).build());
    assertThat(call.ended()).as("busy: the exchange goes on").isNull();
    assertThat(call.requested).as("the exchange still gets its response head").hasValue(2);

    s.release();
    assertThat(call.ended()).isEqualTo("completed");
    assertThat(pool.idleStreams()).isZero();
  }

  @Test
  void streamCancelledByTheClientIsForgotten() {
    RecordingServerCall<ServerFrame> call = call();
    pool.add(stream(call));
    call.cancel();
    assertThat(pool.idleStreams()).isZero();
    assertThat(pool.acquire(new RecordingExchange(elsewhere))).isNull();
  }

  @Test
  void abortedStreamIsCancelledAndNeverHandedOutAgain() {
    RecordingServerCall<ServerFrame> call = call();
    TunnelStream s = stream(call);
    pool.add(s);
    pool.acquire(new RecordingExchange(elsewhere));
    s.abort("visitor left");
    assertThat(call.ended()).startsWith("error: Status{code=CANCELLED");
    s.release(); // a late release of an aborted stream changes nothing
    assertThat(pool.idleStreams()).isZero();
  }

  @Test
  void busyStreamWhoseClientGoesAwayTellsItsExchange() {
    RecordingServerCall<ServerFrame> call = call();
    TunnelStream s = stream(call);
    pool.add(s);
    RecordingExchange x = new RecordingExchange(elsewhere);
    pool.acquire(x);
    call.cancel();
    assertThat(x.gone).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void closeFailsWaitersEndsIdleStreamsAndLateArrivals() {
    RecordingServerCall<ServerFrame> idleCall = call();
    pool.add(stream(idleCall));
    pool.acquire(new RecordingExchange(elsewhere)); // takes the idle one
    RecordingServerCall<ServerFrame> secondCall = call();
    pool.add(stream(secondCall));
    RecordingExchange waiter = new RecordingExchange(elsewhere);
    pool.acquire(new RecordingExchange(elsewhere)); // takes the second
    pool.acquire(waiter);

    assertThat(pool.close(Status.UNAVAILABLE.withDescription("client gone"))).isTrue();
    assertThat(pool.close(Status.UNAVAILABLE)).as("once").isFalse();
    assertThat(waiter.gone).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(pool.isClosed()).isTrue();
    assertThat(pool.acquire(new RecordingExchange(elsewhere))).isNull();

    RecordingServerCall<ServerFrame> late = call();
    pool.add(stream(late));
    assertThat(late.ended()).isEqualTo("completed");
  }

  @Test
  void closeEndsIdleStreams() {
    RecordingServerCall<ServerFrame> call = call();
    pool.add(stream(call));
    pool.close(Status.UNAVAILABLE);
    assertThat(call.ended()).isEqualTo("completed");
    assertThat(pool.idleStreams()).isZero();
  }

  @Test
  void streamOnTheExchangesLoopIsPreferredOverAWarmerOne() throws Exception {
    EventLoop a = new DefaultEventLoop();
    EventLoop b = new DefaultEventLoop();
    loops.add(a);
    loops.add(b);
    // gRPC creates a stream on its connection's loop: the stream remembers that thread.
    TunnelStream onB = b.submit(() -> stream(call())).get(5, TimeUnit.SECONDS);
    TunnelStream onA = a.submit(() -> stream(call())).get(5, TimeUnit.SECONDS);
    pool.add(onB);
    pool.add(onA); // most recently idle: first choice of an exchange on any other loop

    assertThat(pool.acquire(new RecordingExchange(b))).isSameAs(onB);
    assertThat(pool.acquire(new RecordingExchange(b))).as("none on b left: the fallback").isSameAs(onA);
  }

  @Test
  void frameOnAnIdleStreamDropsIt() {
    RecordingServerCall<ServerFrame> call = call();
    pool.add(stream(call));
    TunnelStream s = pool.acquire(new RecordingExchange(elsewhere));
    s.release();
    s.onNext(ClientFrame.newBuilder().setData(Data.getDefaultInstance()).build());
    assertThat(call.ended()).startsWith("error: Status{code=CANCELLED");
    assertThat(pool.idleStreams()).isZero();
  }
}
