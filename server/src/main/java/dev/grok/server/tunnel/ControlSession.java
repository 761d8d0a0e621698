package dev.grok.server.tunnel;

import dev.grok.common.Limits;
import dev.grok.common.Version;
import dev.grok.common.compress.CompressionMode;
import dev.grok.common.compress.GrpcCodecs;
import dev.grok.common.compress.TunnelCompression;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.GoingAway;
import dev.grok.protocol.v1.OpenTunnel;
import dev.grok.protocol.v1.RejectReason;
import dev.grok.protocol.v1.StreamDemand;
import dev.grok.protocol.v1.TunnelClosed;
import dev.grok.protocol.v1.TunnelKind;
import dev.grok.protocol.v1.TunnelOpened;
import dev.grok.protocol.v1.TunnelRejected;
import dev.grok.protocol.v1.Welcome;
import dev.grok.server.edge.tcp.TcpEdge;
import dev.grok.server.registry.BasicAuth;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelOwner;
import dev.grok.server.registry.TunnelRegistry;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected client: its control stream, its tunnels and its pool of standby {@link TunnelStream}s.
 *
 * <p>Threads: control-stream callbacks arrive on a gRPC transport loop; the pool is used from every edge loop and
 * guarded by {@code poolLock}; control events are sent under {@code sendLock} (registration, revocation, takeover
 * and shutdown all send from different threads).
 */
public final class ControlSession implements StreamObserver<ControlRequest>, TunnelOwner {
  private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

  /** Exchanges that may wait for a standby stream at once; beyond it the visitor gets 503. */
  static final int MAX_WAITING_EXCHANGES = 10_000;

  /** Fewest streams one StreamDemand asks for. */
  static final int STREAM_DEMAND_BATCH = 8;

  /** Lifecycle, driven by the control stream. */
  public enum State {
    /** Control stream open, Hello not yet received. */
    AWAITING_HELLO,
    /** Welcome sent: tunnels may be opened, streams join the pool. */
    OPEN,
    /** Ended (client left, token revoked, heartbeat lost, server stopping): tunnels unregistered, pool drained. */
    CLOSED
  }

  private final String id;
  private final String tokenId;
  private final String user;
  /** The user's organization's slug, suffixed to every subdomain of this session; null for none. Immutable. */
  private final String orgSlug;
  private final ServerCallStreamObserver<ControlEvent> out;
  private final SessionManager manager;
  private final TunnelRegistry registry;
  private final String publicUrlFormat;
  private final TcpEdge tcpEdge;
  /** Connections the client is asked to spread its streams over (Welcome.stream_connections). */
  private final int streamConnections;

  private final Object sendLock = new Object();
  private final Object poolLock = new Object();
  /** Idle standby streams, most recently returned first (warm). Guarded by poolLock. */
  private final ArrayDeque<TunnelStream> idle = new ArrayDeque<>();
  /** Exchanges waiting for a stream, oldest first. Guarded by poolLock. */
  private final ArrayDeque<StreamExchange> waiting = new ArrayDeque<>();
  private final Map<Integer, Tunnel> tunnels = new ConcurrentHashMap<>();
  /** What each HTTP tunnel's client asked for its request bodies (OpenTunnel.compression), by tunnel id. */
  private final Map<Integer, TunnelCompression> requestCompression = new ConcurrentHashMap<>();
  /**
   * Streams asked for with StreamDemand and not yet arrived. Guarded by poolLock. Every waiting exchange would
   * otherwise ask again for streams already on their way, and the pool would grow with the square of a burst.
   */
  private int streamsDemanded;

  private volatile State state = State.AWAITING_HELLO;
  private volatile long lastHeardNanos = System.nanoTime();

  ControlSession(String id, String tokenId, String user, String orgSlug, ServerCallStreamObserver<ControlEvent> out,
      SessionManager manager, TunnelRegistry registry, String publicUrlFormat, TcpEdge tcpEdge,
      int streamConnections) {
    this.id = id;
    this.tokenId = tokenId;
    this.user = user;
    this.orgSlug = orgSlug;
    this.out = out;
    this.manager = manager;
    this.registry = registry;
    this.publicUrlFormat = publicUrlFormat;
    this.tcpEdge = tcpEdge;
    this.streamConnections = streamConnections;
    out.setOnCancelHandler(() -> close(null, "control stream cancelled"));
  }

  public String id() {
    return id;
  }

  public String tokenId() {
    return tokenId;
  }

  public String user() {
    return user;
  }

  public State state() {
    return state;
  }

  long lastHeardNanos() {
    return lastHeardNanos;
  }

  // ---- control stream ----

  @Override
  public void onNext(ControlRequest request) {
    lastHeardNanos = System.nanoTime();
    switch (request.getKindCase()) {
      case HELLO -> {
        if (state == State.AWAITING_HELLO) {
          state = State.OPEN;
          send(ControlEvent.newBuilder().setWelcome(Welcome.newBuilder().setSessionId(id)
              .setServerVersion(Version.current()).setHeartbeatIntervalMillis(Limits.HEARTBEAT_INTERVAL_MILLIS)
              .setStreamConnections(streamConnections)
              .setHeadWithBody(true)
              .addAllMessageEncodings(GrpcCodecs.decodable()))
              .build());
        }
      }
      case OPEN_TUNNEL -> openTunnel(request.getOpenTunnel());
      case CLOSE_TUNNEL -> {
        Tunnel t = tunnels.remove(request.getCloseTunnel().getTunnelId());
        requestCompression.remove(request.getCloseTunnel().getTunnelId());
        if (t != null) {
          unregister(t);
          log.info("tunnel {} closed by its client (session {})", t.name(), id);
        }
      }
      case HEARTBEAT -> send(ControlEvent.newBuilder().setHeartbeat(request.getHeartbeat()).build());
      default -> log.debug("session {}: ignoring control message {}", id, request.getKindCase());
    }
  }

  private void openTunnel(OpenTunnel open) {
    if (state != State.OPEN) {
      return;
    }
    TunnelRejected.Builder reject = TunnelRejected.newBuilder().setTunnelId(open.getTunnelId());
    if (open.getKind() == TunnelKind.TCP) {
      openTcpTunnel(open);
      return;
    }
    if (open.getKind() != TunnelKind.HTTP) {
      send(ControlEvent.newBuilder().setTunnelRejected(reject.setReason(RejectReason.UNSUPPORTED)
          .setMessage("tunnel kind " + open.getKind() + " is not supported by this server")).build());
      return;
    }
    BasicAuth basicAuth;
    try {
      basicAuth = BasicAuth.of(open.getBasicAuth());
    } catch (IllegalArgumentException e) {
      send(ControlEvent.newBuilder().setTunnelRejected(reject.setReason(RejectReason.UNSUPPORTED)
          .setMessage(e.getMessage())).build());
      return;
    }
    try {
      Tunnel t = registry.register(open.getSubdomain(), orgSlug, open.getTunnelId(), user, this,
          basicAuth);
      Tunnel previous = tunnels.put(open.getTunnelId(), t);
      if (previous != null && previous != t) {
        unregister(previous);
      }
      if (state == State.CLOSED) {
        // the session ended while registering: do not leave the name routed to a dead session
        unregister(t);
        return;
      }
      CompressionMode compression = CompressionMode.fromProto(open.getCompression());
      requestCompression.put(open.getTunnelId(), TunnelCompression.of(compression));
      String url = String.format(publicUrlFormat, t.name());
      log.info("tunnel {} open for user {} (session {}) -> {}{}, compression {}", url, user, id,
          open.getLocalUrl(), basicAuth == null ? "" : " (basic auth)", compression.optionValue());
      send(ControlEvent.newBuilder().setTunnelOpened(TunnelOpened.newBuilder().setTunnelId(open.getTunnelId())
          .setPublicUrl(url).setSubdomain(t.name())).build());
    } catch (TunnelRegistry.RegistrationException e) {
      reject(open.getTunnelId(), e);
    }
  }

  /** A TCP tunnel: the edge binds its port asynchronously; the answer is sent from whichever thread completes. */
  private void openTcpTunnel(OpenTunnel open) {
    int tunnelId = open.getTunnelId();
    tcpEdge.open(open.getRemotePort(), tunnelId, user, this).whenComplete((t, error) -> {
      if (error != null) {
        if (error instanceof TunnelRegistry.RegistrationException e) {
          reject(tunnelId, e);
        } else {
          log.warn("session {}: TCP tunnel failed", id, error);
          send(ControlEvent.newBuilder().setTunnelRejected(TunnelRejected.newBuilder().setTunnelId(tunnelId)
              .setReason(RejectReason.INVALID_PORT).setMessage("TCP tunnel failed: " + error)).build());
        }
        return;
      }
      Tunnel previous = tunnels.put(tunnelId, t);
      if (previous != null && previous != t) {
        unregister(previous);
      }
      if (state == State.CLOSED) {
        tunnels.remove(tunnelId, t);
        unregister(t); // the session ended while the port was being bound
        return;
      }
      String url = tcpEdge.publicUrl(t.port());
      log.info("tunnel {} open for user {} (session {}) -> {}", url, user, id, open.getLocalUrl());
      send(ControlEvent.newBuilder().setTunnelOpened(TunnelOpened.newBuilder().setTunnelId(tunnelId)
          .setPublicUrl(url).setRemotePort(t.port())).build());
    });
  }

  private void reject(int tunnelId, TunnelRegistry.RegistrationException e) {
    RejectReason reason = switch (e.failure()) {
      case INVALID_SUBDOMAIN -> RejectReason.INVALID_SUBDOMAIN;
      case ALREADY_TAKEN -> RejectReason.ALREADY_TAKEN;
      case LIMIT_REACHED -> RejectReason.LIMIT_REACHED;
      case INVALID_PORT -> RejectReason.INVALID_PORT;
    };
    log.info("session {}: tunnel refused: {}", id, e.getMessage());
    send(ControlEvent.newBuilder().setTunnelRejected(TunnelRejected.newBuilder().setTunnelId(tunnelId)
        .setReason(reason).setMessage(e.getMessage())).build());
  }

  /** Unregisters {@code t}; a TCP tunnel's port is unbound (unless a newer session of the user took it over). */
  private void unregister(Tunnel t) {
    if (registry.unregister(t) && t.isTcp()) {
      tcpEdge.release(t);
    }
  }

  @Override
  public void onError(Throwable t) {
    close(null, "control stream failed: " + Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    close(Status.OK, "client closed the session");
  }

  @Override
  public void onTunnelEvicted(Tunnel tunnel, String reason) {
    if (tunnels.remove(tunnel.tunnelId(), tunnel)) {
      log.info("tunnel {} of session {} taken over: {}", tunnel.name(), id, reason);
      send(ControlEvent.newBuilder().setTunnelClosed(TunnelClosed.newBuilder().setTunnelId(tunnel.tunnelId())
          .setReason(reason).setTakenOver(true)).build());
    }
  }

  /**
   * An administrator stops {@code tunnel}: it stops routing at once and the client is told not to reopen it
   * ({@code TunnelClosed{stopped}}: it exits). Returns false when the tunnel was no longer live here.
   */
  public boolean stopTunnel(Tunnel tunnel, String reason) {
    if (!tunnels.remove(tunnel.tunnelId(), tunnel)) {
      return false;
    }
    registry.unregister(tunnel);
    log.info("tunnel {} of session {} stopped: {}", tunnel.name(), id, reason);
    send(ControlEvent.newBuilder().setTunnelClosed(TunnelClosed.newBuilder().setTunnelId(tunnel.tunnelId())
        .setReason(reason).setStopped(true)).build());
    return true;
  }

  /** Tells the client to go away ({@code reason}), then ends the session with {@code status}. */
  void goAway(GoingAway.Reason reason, String message, Status status) {
    send(ControlEvent.newBuilder().setGoingAway(GoingAway.newBuilder().setReason(reason).setMessage(message))
        .build());
    close(status, message);
  }

  /** Ends the session once: unregisters its tunnels, fails waiting exchanges, ends idle streams. */
  void close(Status status, String why) {
    List<TunnelStream> idleNow;
    List<StreamExchange> waitersNow;
    synchronized (poolLock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      idleNow = new ArrayList<>(idle);
      idle.clear();
      waitersNow = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (Tunnel t : tunnels.values()) {
      unregister(t);
    }
    tunnels.clear();
    manager.remove(this);
    log.info("session {} of user {} ended: {}", id, user, why);
    Status gone = Status.UNAVAILABLE.withDescription("the tunnel client disconnected");
    for (StreamExchange x : waitersNow) {
      x.onTunnelGone(gone);
    }
    for (TunnelStream s : idleNow) {
      s.completeIdle();
    }
    if (status != null) {
      synchronized (sendLock) {
        try {
          if (status.isOk()) {
            out.onCompleted();
          } else {
            out.onError(status.asRuntimeException());
          }
        } catch (IllegalStateException alreadyClosed) {
          // the call already ended
        }
      }
    }
  }

  private void send(ControlEvent event) {
    synchronized (sendLock) {
      if (out.isCancelled()) {
        return;
      }
      try {
        out.onNext(event);
      } catch (IllegalStateException alreadyClosed) {
        // the call ended concurrently; close() will follow from its callback
      }
    }
  }

  // ---- standby stream pool ----

  /** A new standby stream from the client: hand it to a waiting exchange or keep it idle. */
  void addStream(TunnelStream stream) {
    synchronized (poolLock) {
      if (state == State.CLOSED) {
        stream.completeIdle();
        return;
      }
      if (streamsDemanded > 0) {
        streamsDemanded--;
      }
    }
    returnStream(stream);
  }

  /** How request bodies of tunnel {@code tunnelId} are compressed (OpenTunnel.compression); NONE when unknown. */
  public TunnelCompression requestCompression(int tunnelId) {
    return requestCompression.getOrDefault(tunnelId, TunnelCompression.NONE);
  }

  /**
   * Takes an idle stream for {@code x}, or queues {@code x} until one arrives (then onStreamAssigned). A stream
   * whose connection runs on {@code x}'s loop is preferred: its frames then reach the exchange without a thread hop
   * (a task handed to another loop costs a wake-up, a syscall, each way); any other idle stream is the fallback.
   */
  public TunnelStream acquire(StreamExchange x) {
    int demand = 0;
    synchronized (poolLock) {
      if (state == State.CLOSED) {
        return null;
      }
      TunnelStream s = takeIdle(x.loop());
      if (s != null) {
        s.attach(x);
        return s;
      }
      if (waiting.size() >= MAX_WAITING_EXCHANGES) {
        throw new IllegalStateException("too many exchanges waiting for a stream: " + waiting.size()
            + " (limit " + MAX_WAITING_EXCHANGES + ")");
      }
      waiting.addLast(x);
      int shortfall = waiting.size() - streamsDemanded;
      if (shortfall > 0) {
        // ask in batches: a burst above the client's margin usually goes on
        demand = Math.max(shortfall, STREAM_DEMAND_BATCH);
        streamsDemanded += demand;
      }
    }
    // No idle stream: the client keeps a margin, so this is a burst above it. Ask for more at once.
    if (demand > 0) {
      send(ControlEvent.newBuilder().setStreamDemand(StreamDemand.newBuilder().setStreams(demand)).build());
    }
    return null;
  }

  /** The most recently idle open stream on {@code loop}, else the most recent on any loop; null when none. */
  private TunnelStream takeIdle(EventLoop loop) {
    TunnelStream fallback = null;
    for (Iterator<TunnelStream> it = idle.iterator(); it.hasNext(); ) {
      TunnelStream s = it.next();
      if (s.isClosed()) {
        it.remove();
      } else if (s.runsOn(loop)) {
        it.remove();
        return s;
      } else if (fallback == null) {
        fallback = s;
      }
    }
    if (fallback != null) {
      idle.remove(fallback);
    }
    return fallback;
  }

  /** {@code x} no longer waits (timeout, visitor gone). */
  public void cancelWait(StreamExchange x) {
    synchronized (poolLock) {
      waiting.remove(x);
    }
  }

  void returnStream(TunnelStream stream) {
    StreamExchange next = null;
    boolean keptIdle = false;
    synchronized (poolLock) {
      if (stream.isClosed()) {
        return;
      }
      if (state != State.CLOSED) {
        next = waiting.pollFirst();
        if (next != null) {
          stream.attach(next); // a retirement asked for meanwhile waits until this exchange is over too
        } else if (!stream.retireRequested) {
          idle.addFirst(stream);
          keptIdle = true;
        }
      }
    }
    if (next != null) {
      next.onStreamAssigned(stream);
    } else if (keptIdle) {
      stream.requestUpTo(1); // an idle stream listens for the client's Retire
    } else {
      stream.completeIdle(); // the session ended, or the client asked to retire the stream
    }
  }


  /**
   * The client asks to end {@code stream}: at once when it is idle, else when its current exchange is over (the
   * client serves an exchange that reached the stream before the server saw the Retire).
   */
  void retire(TunnelStream stream) {
    synchronized (poolLock) {
      if (!idle.remove(stream)) {
        // Busy: the exchange the client just finished is not over here yet, or a new one was already handed to
        // the stream. Either way it ends the next time it would become idle (returnStream).
        stream.retireRequested = true;
        return;
      }
    }
    stream.completeIdle();
  }

  void forgetStream(TunnelStream stream) {
    synchronized (poolLock) {
      idle.remove(stream);
    }
  }

  /** Idle streams now (for gauges and tests). */
  public int idleStreams() {
    synchronized (poolLock) {
      return idle.size();
    }
  }

  /** The tunnels this session serves now. */
  public List<Tunnel> tunnels() {
    return List.copyOf(tunnels.values());
  }
}
