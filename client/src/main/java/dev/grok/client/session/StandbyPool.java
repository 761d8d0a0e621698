package dev.grok.client.session;

import dev.grok.client.forward.Forwarder;
import dev.grok.common.compress.TunnelCompression;
import dev.grok.common.frames.ExchangeMethods;
import dev.grok.protocol.v1.TunnelGrpc;
import io.grpc.stub.ClientCalls;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Exchange streams of one session, opened ahead of need so that a visitor's request never waits for a stream.
 * The server picks which idle stream carries an exchange; the client only keeps counts: at least
 * {@link #MIN_IDLE} idle (a stream that becomes busy while fewer are idle opens another), at most
 * {@link #MAX_IDLE} idle or, when more exchanges than that ran at once within the last minute, as many streams as
 * were open at that peak, and never fewer open than carried an exchange within the last minute (a stream that
 * finishes beyond that asks the server to end it: Retire; {@link IdleBound}), never more than {@link #MAX_STREAMS} in all. Streams are spread round-robin over the session's connections (one
 * per server event loop, so that the server finds a stream on every visitor's loop), and a stream that becomes
 * busy or is aborted is replaced on its own connection.
 *
 * <p>Thread-safety: streams of one session may report from any transport loop, so the counts are atomics; opening
 * a stream is thread-safe in gRPC.
 */
final class StandbyPool {
  private static final Logger log = LoggerFactory.getLogger(StandbyPool.class);

  /** Streams opened right after Welcome. */
  static final int INITIAL_STREAMS = 16;
  /** Idle streams kept available for bursts. */
  static final int MIN_IDLE = 8;
  /**
   * Idle streams beyond this (or beyond the recent peak of busy streams, when higher) are retired when their
   * exchange ends. A fixed bound alone churned streams under a steady load above it: at 500 concurrent
   * visitors, every exchange that ended while 64 were idle retired its stream, and the next request waited for
   * a StreamDemand round trip and a new gRPC stream.
   */
  static final int MAX_IDLE = 64;
  /**
   * Hard cap on open streams per session (each costs a little memory on both sides: ~14 KiB for a held WebSocket,
   * both JVMs together). A WebSocket or a TCP-over-HTTP upgrade keeps its stream while it is open, so this is also
   * how many a tunnel carries at once: issue 13 asks for 10,000 idle WebSockets through one tunnel.
   */
  static final int MAX_STREAMS = 16_384;

  /** One stub per connection, index = TunnelStream.connection. */
  private final List<TunnelGrpc.TunnelStub> stubs;
  private final Forwarder forwarder;
  /** How the session's tunnel compresses response bodies; its stubs carry the same mode's encoding. */
  private final TunnelCompression responseCompression;
  private final AtomicInteger nextConnection = new AtomicInteger();
  private final AtomicInteger idle = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();
  /** Recent busy and demanded peaks, which bound the idle streams; decay at each heartbeat ({@link #replenish()}). */
  private final IdleBound idleBound = new IdleBound(System::nanoTime);
  /** Set when the session ends: no stream is opened any more. */
  private volatile boolean closed;

  /** The server reads ResponseHead.body (Welcome.head_with_body). */
  final boolean headWithBody;

  /** {@code stubs}, one per connection (at least one), carry the session's metadata. */
  StandbyPool(List<TunnelGrpc.TunnelStub> stubs, Forwarder forwarder) {
    this(stubs, forwarder, TunnelCompression.NONE, false);
  }

  /**
   * Like {@link #StandbyPool(List, Forwarder)}, compressing response bodies by {@code responseCompression}, and
   * sending first body bytes inside response heads when {@code headWithBody} (the server reads them).
   */
  StandbyPool(List<TunnelGrpc.TunnelStub> stubs, Forwarder forwarder, TunnelCompression responseCompression,
      boolean headWithBody) {
    this.responseCompression = responseCompression;
    if (stubs.isEmpty()) {
      throw new IllegalArgumentException("stubs: none (expected: one per connection)");
    }
    this.stubs = List.copyOf(stubs);
    this.forwarder = forwarder;
    this.headWithBody = headWithBody;
  }

  /** Opens up to {@code n} more streams (fewer at the cap), round-robin over the connections. */
  int open(int n) {
    int opened = 0;
    while (opened < n && openOn(Math.floorMod(nextConnection.getAndIncrement(), stubs.size()))) {
      opened++;
    }
    return opened;
  }

  /** Opens one stream on connection {@code connection}; false when closed or at the cap. */
  private boolean openOn(int connection) {
    while (!closed) {
      int t = total.get();
      if (t >= MAX_STREAMS) {
        log.warn("standby streams at the cap of {}: not opening more", MAX_STREAMS);
        return false;
      }
      if (total.compareAndSet(t, t + 1)) {
        idle.incrementAndGet();
        TunnelStream stream = new TunnelStream(this, forwarder, connection, responseCompression);
        // Starts the call (TunnelStream.beforeStart keeps the request side); the stub's channel and options (its
        // interceptors, compression), but the Exchange method that receives Data frames without a copy.
        TunnelGrpc.TunnelStub stub = stubs.get(connection);
        ClientCalls.asyncBidiStreamingCall(
            stub.getChannel().newCall(ExchangeMethods.CLIENT, stub.getCallOptions()), stream);
        return true;
      }
    }
    return false;
  }

  /**
   * The server has exchanges waiting for streams and asks for {@code n} more. The server already counts the
   * streams it asked for that are still on their way, so the client opens exactly that many (up to the cap): any
   * fewer could leave an exchange waiting for a stream that never comes while the others are stalled.
   */
  int meetDemand(int n) {
    return open(n);
  }

  /**
   * A stream of {@code connection} took an exchange; {@code lastPeriod} is what this returned to it the last time (0
   * at first). Keeps {@link #MIN_IDLE} streams idle.
   */
  int onBusy(int connection, int lastPeriod) {
    int idleNow = idle.decrementAndGet();
    int busy = total.get() - idleNow;
    idleBound.observeBusy(busy);
    int period = idleBound.streamUsed(lastPeriod);
    if (idleNow < MIN_IDLE) {
      openOn(connection);
    }
    return period;
  }

  /** A stream finished its exchange. Returns false when the stream should retire (too many idle already). */
  boolean onIdle() {
    while (true) {
      int i = idle.get();
      if (closed || !idleBound.keepsIdle(i, total.get(), MIN_IDLE, MAX_IDLE)) {
        return false;
      }
      if (idle.compareAndSet(i, i + 1)) {
        return true;
      }
    }
  }

  /**
   * A stream ended. One that ended mid-exchange ({@code aborted}) is replaced at once when idle streams run low; an
   * idle stream that ends is replaced only by {@link #replenish()}, so a server that refuses streams is not
   * hammered; a retired stream is not replaced.
   */
  void onEnded(boolean wasIdle, boolean aborted, int connection) {
    total.decrementAndGet();
    if (wasIdle) {
      idle.decrementAndGet();
    } else if (aborted && idle.get() < MIN_IDLE) {
      openOn(connection);
    }
  }

  /**
   * Tops the idle streams back up to {@link #MIN_IDLE} and lets an old busy peak decay; the session calls this
   * once per heartbeat.
   */
  void replenish() {
    idleBound.decay(total.get() - idle.get());
    int missing = MIN_IDLE - idle.get();
    if (missing > 0) {
      open(missing);
    }
  }

  /** The session ended: open nothing more (its streams end with the channel). */
  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  int idle() {
    return idle.get();
  }

  int total() {
    return total.get();
  }
}
