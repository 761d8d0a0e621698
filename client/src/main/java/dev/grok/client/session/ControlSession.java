package dev.grok.client.session;

import dev.grok.client.ClientConfig;
import dev.grok.client.ClientListener;
import dev.grok.client.forward.Forwarder;
import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.common.Version;
import dev.grok.common.compress.CompressionMode;
import dev.grok.protocol.v1.CloseTunnel;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.GoingAway;
import dev.grok.protocol.v1.Heartbeat;
import dev.grok.protocol.v1.Hello;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.protocol.v1.TunnelOpened;
import dev.grok.protocol.v1.TunnelRejected;
import dev.grok.protocol.v1.Welcome;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's session with the tunnel server: one control stream per attempt (on a fresh channel, so a restarted
 * server is found again without waiting out gRPC's own connect backoff), the tunnel registration, heartbeats, the
 * standby pool, and reconnects with exponential backoff. Every field is owned by one event loop ({@link #loop});
 * gRPC callbacks and {@link #close()} are handed to it.
 */
public final class ControlSession {
  private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

  /** Lifecycle of the session. */
  public enum State {
    /** A control stream is open and Hello sent; waiting for Welcome. */
    CONNECTING,
    /** Welcome received and OpenTunnel sent; waiting for TunnelOpened. */
    OPENING,
    /** The tunnel is live and exchanges flow. */
    READY,
    /** The last attempt failed; waiting out the backoff delay before the next one. */
    BACKOFF,
    /** Stopped for good: {@link #close()} or a failure that retrying cannot fix. */
    STOPPED
  }

  /** Welcome and then TunnelOpened must arrive within this; otherwise the attempt counts as a network failure. */
  static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  /** A session that stayed ready this long resets the backoff. */
  static final long STABLE_SESSION_MILLIS = 10_000;
  /** close() waits this long for the server to end the control stream before it cuts the connection. */
  static final long CLOSE_GRACE_MILLIS = 500;
  /** Most connections a session spreads its streams over, whatever the server asks. */
  static final int MAX_STREAM_CONNECTIONS = 8;
  /** Silent heartbeat periods after which the session is lost. */
  static final int MISSED_HEARTBEATS = 3;

  private final ClientConfig config;
  private final ClientListener listener;
  private final EventLoops loops;
  private final Forwarder forwarder;
  /** TLS to the tunnel port, built once; null for plain text. */
  private final SslContext tunnelSsl;
  private final EventLoop loop;
  private final Backoff backoff;
  private final CompletableFuture<Integer> stopped = new CompletableFuture<>();

  // Owned by loop.
  private State state = State.BACKOFF;
  /** The current attempt; null while backing off and once stopped. */
  private ControlAttempt attempt;
  /** Asks for the tunnel, and for the same random name or port again after a reconnect. */
  private final TunnelRegistration registration;
  /** How response bodies are compressed, kept across reconnects. */
  private final SessionCompression compression;
  /** Pending reconnect (BACKOFF) or the end of the close grace period (STOPPED); null otherwise. */
  private ScheduledFuture<?> timer;
  /** A copy of state for other threads. */
  private volatile State publishedState = State.BACKOFF;
  /** The channels of the latest attempt, for awaiting their termination at shutdown. */
  private volatile List<ManagedChannel> lastChannels = List.of();

  public ControlSession(ClientConfig config, ClientListener listener, EventLoops loops, Forwarder forwarder) {
    this(config, listener, loops, forwarder, new Backoff());
  }

  ControlSession(ClientConfig config, ClientListener listener, EventLoops loops, Forwarder forwarder,
      Backoff backoff) {
    this.config = config;
    this.listener = listener;
    this.loops = loops;
    this.forwarder = forwarder;
    this.loop = loops.group().next();
    this.backoff = backoff;
    this.registration = new TunnelRegistration(config);
    this.tunnelSsl = TunnelChannels.sslContext(config.tunnelTls());
    this.compression = new SessionCompression(config.compression());
  }

  /** Connects in the background. */
  public void start() {
    onLoop(this::connect);
  }

  /** Ends the tunnel: CloseTunnel, half-close, then the connection is cut after at most the grace period. */
  public void close() {
    onLoop(this::closeNow);
  }

  /** Completes with the exit code once stopped: 0 after {@link #close()}, 3 or 4 after a fatal failure. */
  public CompletableFuture<Integer> stopped() {
    return stopped;
  }

  public State state() {
    return publishedState;
  }

  /** Blocks until the latest channel has terminated, at most {@code timeout}. */
  public void awaitChannelTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ManagedChannel c : lastChannels) {
      c.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  // ---- transitions (all on loop) ----

  private void connect() {
    if (state == State.STOPPED) {
      return;
    }
    setState(State.CONNECTING);
    ManagedChannel channel = TunnelChannels.open(config.serverHost(), config.serverPort(), loops, 0, tunnelSsl);
    TunnelGrpc.TunnelStub stub = TunnelGrpc.newStub(channel).withInterceptors(bearer());
    ControlAttempt a = new ControlAttempt(this, channel, stub);
    lastChannels = a.channels;
    attempt = a;
    stub.control(a);
    a.send(ControlRequest.newBuilder().setHello(Hello.newBuilder()
        .setClientVersion(Version.current())
        .setStandbyStreams(StandbyPool.INITIAL_STREAMS)).build());
    a.handshakeTimeout = loop.schedule(() -> lost(a, "no answer from the server within "
        + HANDSHAKE_TIMEOUT_MILLIS / 1000 + " s"), HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A control event of attempt {@code a}. */
  void onEvent(ControlAttempt a, ControlEvent event) {
    if (a != attempt || state == State.STOPPED) {
      return;
    }
    a.lastHeardNanos = System.nanoTime();
    switch (event.getKindCase()) {
      case WELCOME -> onWelcome(a, event.getWelcome());
      case TUNNEL_OPENED -> onOpened(a, event.getTunnelOpened());
      case TUNNEL_REJECTED -> onRejected(a, event.getTunnelRejected());
      case TUNNEL_CLOSED -> {
        if (event.getTunnelClosed().getStopped()) {
          fatal(5, "tunnel stopped by the server's administrator: " + event.getTunnelClosed().getReason());
        } else if (event.getTunnelClosed().getTakenOver()) {
          fatal(4, "subdomain already taken: another grok client of the same user now serves it ("
              + event.getTunnelClosed().getReason() + "); this one stops");
        } else {
          lost(a, "tunnel closed by the server: " + event.getTunnelClosed().getReason());
        }
      }
      case GOING_AWAY -> onGoingAway(a, event.getGoingAway());
      case STREAM_DEMAND -> {
        if (a.pool != null) {
          a.pool.meetDemand(event.getStreamDemand().getStreams());
        }
      }
      default -> { } // heartbeat echoes only refresh lastHeardNanos
    }
  }

  private void onWelcome(ControlAttempt a, Welcome welcome) {
    if (state != State.CONNECTING) {
      return;
    }
    a.sessionId = welcome.getSessionId();
    long interval = welcome.getHeartbeatIntervalMillis() > 0
        ? welcome.getHeartbeatIntervalMillis() : Limits.HEARTBEAT_INTERVAL_MILLIS;
    a.heartbeatMillis = Math.clamp(interval, 50, 60_000);
    a.drainMillis = ControlAttempt.drainMillis(welcome);
    // One connection per server event loop (Welcome.stream_connections): the server can then give every exchange
    // a stream served by its visitor's loop. The control connection carries streams too.
    int connections = Math.clamp(welcome.getStreamConnections(), 1, MAX_STREAM_CONNECTIONS);
    List<TunnelGrpc.TunnelStub> stubs = new ArrayList<>();
    stubs.add(a.stub);
    for (int i = 1; i < connections; i++) {
      ManagedChannel extra = TunnelChannels.open(config.serverHost(), config.serverPort(), loops, i, tunnelSsl);
      a.channels.add(extra);
      stubs.add(TunnelGrpc.newStub(extra).withInterceptors(bearer()));
    }
    CompressionMode mode = compression.negotiate(welcome);
    stubs.replaceAll(s -> {
      TunnelGrpc.TunnelStub stub = s.withInterceptors(TunnelChannels.session(a.sessionId))
          .withOnReadyThreshold(Limits.ON_READY_THRESHOLD_BYTES);
      return mode.encoding() == null ? stub : stub.withCompression(mode.encoding());
    });
    a.pool = new StandbyPool(stubs, forwarder, compression.responseCompression(), welcome.getHeadWithBody());
    a.pool.open(StandbyPool.INITIAL_STREAMS);
    setState(State.OPENING);
    sendOpenTunnel(a);
    a.heartbeat = loop.scheduleAtFixedRate(() -> heartbeat(a), a.heartbeatMillis, a.heartbeatMillis,
        TimeUnit.MILLISECONDS);
  }

  private void sendOpenTunnel(ControlAttempt a) {
    a.tunnelId++;
    a.send(ControlRequest.newBuilder().setOpenTunnel(registration.open(a.tunnelId)).build());
  }

  private void onOpened(ControlAttempt a, TunnelOpened opened) {
    if (state != State.OPENING || opened.getTunnelId() != a.tunnelId) {
      return;
    }
    a.cancelHandshakeTimeout();
    registration.opened(opened);
    a.readyAtNanos = System.nanoTime();
    setState(State.READY);
    log.info("tunnel ready: {} -> {} (session {})", opened.getPublicUrl(), config.localUrl(), a.sessionId);
    try {
      listener.onReady(opened.getPublicUrl(), config.localUrl());
    } catch (RuntimeException e) {
      log.warn("listener failed in onReady", e);
    }
    compression.afterReady();
  }

  private void onRejected(ControlAttempt a, TunnelRejected rejected) {
    if (rejected.getTunnelId() != a.tunnelId) {
      return;
    }
    if (registration.retryFresh(rejected)) {
      sendOpenTunnel(a);
      return;
    }
    fatal(4, TunnelRegistration.rejectMessage(rejected));
  }

  private void onGoingAway(ControlAttempt a, GoingAway goingAway) {
    String detail = goingAway.getMessage().isEmpty() ? "" : ": " + goingAway.getMessage();
    if (goingAway.getReason() == GoingAway.Reason.TOKEN_REVOKED) {
      fatal(3, "invalid token: the token was revoked" + detail);
    } else {
      lost(a, "server going away" + detail, true);
    }
  }

  /** The control call of attempt {@code a} is over. */
  void onControlClosed(ControlAttempt a, Status status) {
    if (a != attempt) {
      return;
    }
    a.controlEnded = true;
    if (state == State.STOPPED) {
      finishClose();
    } else if (status.getCode() == Status.Code.UNAUTHENTICATED) {
      String d = status.getDescription() == null ? "rejected by the server" : status.getDescription();
      fatal(3, d.toLowerCase(java.util.Locale.ROOT).startsWith("invalid token") ? d : "invalid token: " + d);
    } else {
      lost(a, TunnelFailures.describe(status, config, a.sessionId != null));
    }
  }

  private void heartbeat(ControlAttempt a) {
    if (a != attempt || state == State.STOPPED) {
      return;
    }
    long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - a.lastHeardNanos);
    if (silentMillis >= MISSED_HEARTBEATS * a.heartbeatMillis) {
      lost(a, "no heartbeat from the server for " + silentMillis + " ms");
      return;
    }
    a.send(ControlRequest.newBuilder()
        .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(System.currentTimeMillis())).build());
    a.pool.replenish();
  }

  /** Attempt {@code a} failed in a way a retry may fix: back off and reconnect. */
  void lost(ControlAttempt a, String reason) {
    lost(a, reason, false);
  }

  /** With {@code drain}, exchanges in flight on the old connection may finish (the server asked us to leave). */
  private void lost(ControlAttempt a, String reason, boolean drain) {
    if (a != attempt || state == State.STOPPED) {
      return;
    }
    boolean stable = a.readyAtNanos != 0
        && System.nanoTime() - a.readyAtNanos >= TimeUnit.MILLISECONDS.toNanos(STABLE_SESSION_MILLIS);
    if (drain) {
      a.drain(loop, a.drainMillis);
    } else {
      a.end();
    }
    attempt = null;
    if (stable) {
      backoff.reset();
    }
    Duration delay = backoff.next();
    setState(State.BACKOFF);
    log.info("session lost ({}); reconnecting in {} ms", reason, delay.toMillis());
    try {
      listener.onReconnecting(delay, reason);
    } catch (RuntimeException e) {
      log.warn("listener failed in onReconnecting", e);
    }
    timer = loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void fatal(int exitCode, String message) {
    if (state == State.STOPPED) {
      return;
    }
    setState(State.STOPPED);
    cancelTimer();
    if (attempt != null) {
      attempt.end();
      attempt = null;
    }
    log.debug("stopping for good (exit {}): {}", exitCode, message); // the listener tells the user
    try {
      listener.onFatal(exitCode, message);
    } finally {
      stopped.complete(exitCode);
    }
  }

  private void closeNow() {
    if (state == State.STOPPED) {
      return;
    }
    setState(State.STOPPED);
    cancelTimer();
    ControlAttempt a = attempt;
    if (a == null || a.controlEnded) {
      finishClose();
      return;
    }
    a.stopTimers();
    if (a.pool != null) {
      a.pool.close();
    }
    if (a.tunnelId > 0) {
      a.send(ControlRequest.newBuilder().setCloseTunnel(CloseTunnel.newBuilder().setTunnelId(a.tunnelId)).build());
    }
    a.halfClose();
    timer = loop.schedule(this::finishClose, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void finishClose() {
    cancelTimer();
    if (attempt != null) {
      attempt.end();
      attempt = null;
    }
    stopped.complete(0);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void setState(State s) {
    state = s;
    publishedState = s;
  }

  /** Runs {@code task} on the session loop, always later (never re-entrantly from a gRPC callback). */
  void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("session loop already shut down");
    }
  }

  private ClientInterceptor bearer() {
    return TunnelChannels.bearer(config.token() == null ? "" : config.token());
  }
}
