package dev.grok.client.session;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.protocol.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One attempt at a session: its own channel, its control stream and, after Welcome, its standby pool and the extra
 * channels the pool spreads its streams over. The gRPC callbacks are handed to the session loop, which owns every
 * field; when the attempt ends its channels are shut down, which cancels the control stream and every standby stream
 * with them.
 */
final class ControlAttempt implements ClientResponseObserver<ControlRequest, ControlEvent> {
  /**
   * After GoingAway{SHUTDOWN} the old connection is left to finish the exchanges in flight for as long as the server's
   * response timeout (Welcome.response_timeout_millis) while the client reconnects; this long when the server does
   * not say (older than that field): its default.
   */
  static final long DEFAULT_DRAIN_MILLIS = 60_000;
  /** The longest drain a server's Welcome can ask for (one hour): a bound on what a connection is kept for. */
  static final long MAX_DRAIN_MILLIS = 3_600_000;
  /** How long to drain after GoingAway: the server's response timeout from its Welcome (0: not told, the default). */
  static long drainMillis(Welcome welcome) {
    long told = Integer.toUnsignedLong(welcome.getResponseTimeoutMillis());
    return told == 0 ? DEFAULT_DRAIN_MILLIS : Math.min(told, MAX_DRAIN_MILLIS);
  }


  private final ControlSession session;
  final ManagedChannel channel;
  /** {@link #channel} first, then the extra stream connections opened after Welcome; read by other threads. */
  final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  /** Carries the bearer token. */
  final TunnelGrpc.TunnelStub stub;
  /** The request side of the control call; set in beforeStart. */
  private ClientCallStreamObserver<ControlRequest> control;
  /** Null until Welcome. */
  StandbyPool pool;
  /** Null until Welcome. */
  String sessionId;
  long heartbeatMillis = Limits.HEARTBEAT_INTERVAL_MILLIS;
  /**
   * How long exchanges in flight may finish after the server asked us to leave: its response timeout, told in
   * Welcome ({@link #DEFAULT_DRAIN_MILLIS} until then, or from a server that does not tell).
   */
  long drainMillis = DEFAULT_DRAIN_MILLIS;
  long lastHeardNanos = System.nanoTime();
  /** When TunnelOpened arrived; 0 before. */
  long readyAtNanos;
  /** Id of the latest OpenTunnel; 0 before the first. */
  int tunnelId;
  ScheduledFuture<?> handshakeTimeout;
  ScheduledFuture<?> heartbeat;
  /** The control call is over (the server closed it, or it failed). */
  boolean controlEnded;
  private boolean halfClosed;

  ControlAttempt(ControlSession session, ManagedChannel channel, TunnelGrpc.TunnelStub stub) {
    this.session = session;
    this.channel = channel;
    this.stub = stub;
    channels.add(channel);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ControlRequest> requestStream) {
    control = requestStream;
  }

  @Override
  public void onNext(ControlEvent event) {
    session.onLoop(() -> session.onEvent(this, event));
  }

  @Override
  public void onError(Throwable t) {
    Status status = Status.fromThrowable(t);
    session.onLoop(() -> session.onControlClosed(this, status));
  }

  @Override
  public void onCompleted() {
    session.onLoop(() -> session.onControlClosed(this, Status.OK));
  }

  /** Sends on the control stream unless it is over; control messages are small, so readiness is not awaited. */
  void send(ControlRequest request) {
    if (!controlEnded && !halfClosed) {
      control.onNext(request);
    }
  }

  void halfClose() {
    if (!controlEnded && !halfClosed) {
      halfClosed = true;
      control.onCompleted();
    }
  }

  void cancelHandshakeTimeout() {
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
      handshakeTimeout = null;
    }
  }

  void stopTimers() {
    cancelHandshakeTimeout();
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
  }

  /**
   * Ends the attempt gently: no more streams, no new calls on the channel, but calls in flight may finish; whatever
   * is left after {@code graceMillis} is cut.
   */
  void drain(EventLoop loop, long graceMillis) {
    stopTimers();
    if (pool != null) {
      pool.close();
    }
    for (ManagedChannel c : channels) {
      c.shutdown();
      loop.schedule(c::shutdownNow, graceMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Ends the attempt: no more streams, and the channel (with every call on it) is cut. */
  void end() {
    stopTimers();
    if (pool != null) {
      pool.close();
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
  }
}
