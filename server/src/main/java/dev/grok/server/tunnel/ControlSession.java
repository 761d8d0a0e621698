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
import dev.grok.server.registry.BasicAuth;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelOwner;
import dev.grok.server.registry.TunnelRegistry.RegistrationException;
import dev.grok.server.stream.StreamPool;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected client: its control stream, its tunnels and its {@link StreamPool} of standby streams. Speaks the
 * control protocol (docs/protocol.md): Hello/Welcome, OpenTunnel for HTTP and TCP alike through one registration
 * path, CloseTunnel, heartbeats, GoingAway; it is the {@link TunnelOwner} of its tunnels.
 *
 * <p>Threads: control-stream callbacks arrive on a gRPC transport loop; a TCP registration completes on an edge
 * loop; revocation, takeover, admin stops and shutdown come from other threads. Control events are sent under
 * {@code sendLock}; the pool has its own lock and calls back (stream demand) outside it.
 */
public final class ControlSession implements StreamObserver<ControlRequest>, TunnelOwner {
  private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

  /** Lifecycle, driven by the control stream. */
  public enum State {
    /** Control stream open, Hello not yet received. */
    AWAITING_HELLO,
    /** Welcome sent: tunnels may be opened, streams join the pool. */
    OPEN,
    /** Ended (client left, token revoked, heartbeat lost, server stopping): tunnels unregistered, pool closed. */
    CLOSED
  }

  private final String id;
  private final String tokenId;
  private final String user;
  private final ServerCallStreamObserver<ControlEvent> out;
  private final SessionContext server;
  /** Told once when the session ends (the session manager forgets it). */
  private final Consumer<ControlSession> onClosed;
  private final StreamPool streams;

  private final Object sendLock = new Object();
  /** The session's live tunnels by the client's tunnel id. */
  private final Map<Integer, Tunnel> tunnels = new ConcurrentHashMap<>();
  /** Moves forward only (compareAndSet): AWAITING_HELLO -> OPEN -> CLOSED, or straight to CLOSED. */
  private final AtomicReference<State> state = new AtomicReference<>(State.AWAITING_HELLO);
  private volatile long lastHeardNanos = System.nanoTime();

  ControlSession(String id, String tokenId, String user, ServerCallStreamObserver<ControlEvent> out,
      SessionContext server, Consumer<ControlSession> onClosed) {
    this.id = id;
    this.tokenId = tokenId;
    this.user = user;
    this.out = out;
    this.server = server;
    this.onClosed = onClosed;
    this.streams = new StreamPool(more -> send(ControlEvent.newBuilder()
        .setStreamDemand(StreamDemand.newBuilder().setStreams(more)).build()));
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
    return state.get();
  }

  long lastHeardNanos() {
    return lastHeardNanos;
  }

  @Override
  public StreamPool streams() {
    return streams;
  }

  // ---- control stream ----

  @Override
  public void onNext(ControlRequest request) {
    lastHeardNanos = System.nanoTime();
    switch (request.getKindCase()) {
      case HELLO -> {
        if (state.compareAndSet(State.AWAITING_HELLO, State.OPEN)) {
          send(ControlEvent.newBuilder().setWelcome(Welcome.newBuilder().setSessionId(id)
              .setServerVersion(Version.current()).setHeartbeatIntervalMillis(Limits.HEARTBEAT_INTERVAL_MILLIS)
              .setStreamConnections(server.streamConnections())
              .setHeadWithBody(true)
              .addAllMessageEncodings(GrpcCodecs.decodable())
              .setResponseTimeoutMillis((int) Math.min(server.responseTimeoutMillis(), Integer.MAX_VALUE)))
              .build());
        }
      }
      case OPEN_TUNNEL -> openTunnel(request.getOpenTunnel());
      case CLOSE_TUNNEL -> {
        Tunnel t = tunnels.remove(request.getCloseTunnel().getTunnelId());
        if (t != null) {
          unregister(t);
          log.info("tunnel {} closed by its client (session {})", t.name(), id);
        }
      }
      case HEARTBEAT -> send(ControlEvent.newBuilder().setHeartbeat(request.getHeartbeat()).build());
      default -> log.debug("session {}: ignoring control message {}", id, request.getKindCase());
    }
  }

  /**
   * Registers the tunnel {@code open} asks for, HTTP (a name, at once) or TCP (a port, once bound), and answers
   * from whichever thread the registration completes on, through {@link #registered} for both kinds.
   */
  private void openTunnel(OpenTunnel open) {
    if (state() != State.OPEN) {
      return;
    }
    CompletableFuture<Tunnel> registration;
    try {
      registration = switch (open.getKind()) {
        case HTTP -> CompletableFuture.completedFuture(server.registry().register(open.getSubdomain(),
            open.getTunnelId(), user, this, BasicAuth.of(open.getBasicAuth()),
            TunnelCompression.of(CompressionMode.fromProto(open.getCompression()))));
        case TCP -> server.tcp().open(open.getRemotePort(), open.getTunnelId(), user, this);
        default -> throw new IllegalArgumentException(
            "tunnel kind " + open.getKind() + " is not supported by this server");
      };
    } catch (RegistrationException e) {
      reject(open.getTunnelId(), e);
      return;
    } catch (IllegalArgumentException e) { // an unsupported kind or a malformed basic-auth credential
      rejectUnsupported(open.getTunnelId(), e.getMessage());
      return;
    }
    registration.whenComplete((t, error) -> {
      Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
      if (cause instanceof RegistrationException e) {
        reject(open.getTunnelId(), e);
      } else if (cause != null) {
        log.warn("session {}: {} tunnel failed", id, open.getKind(), cause);
        send(ControlEvent.newBuilder().setTunnelRejected(TunnelRejected.newBuilder().setTunnelId(open.getTunnelId())
            .setReason(RejectReason.INVALID_PORT).setMessage("tunnel failed: " + cause)).build());
      } else {
        registered(open, t);
      }
    });
  }

  /** {@code t} is live in the registry: it becomes this session's, unless the session ended meanwhile. */
  private void registered(OpenTunnel open, Tunnel t) {
    Tunnel previous = tunnels.put(open.getTunnelId(), t);
    if (previous != null && previous != t) {
      unregister(previous); // the client reused a tunnel id: the older tunnel stops routing
    }
    // close() sets CLOSED before it collects the tunnels: either it saw the put above, or we see CLOSED here.
    if (state() == State.CLOSED) {
      tunnels.remove(open.getTunnelId(), t);
      unregister(t); // the session ended while registering: do not leave the name or port routed to it
      return;
    }
    TunnelOpened.Builder opened = TunnelOpened.newBuilder().setTunnelId(open.getTunnelId());
    String url;
    if (t.isTcp()) {
      url = server.tcp().publicUrl(t.port());
      opened.setRemotePort(t.port());
    } else {
      url = String.format(server.publicUrlFormat(), t.name());
      opened.setSubdomain(t.name());
    }
    log.info("tunnel {} open for user {} (session {}) -> {}{}, compression {}", url, user, id, open.getLocalUrl(),
        t.basicAuth() == null ? "" : " (basic auth)", t.compression().mode().optionValue());
    send(ControlEvent.newBuilder().setTunnelOpened(opened.setPublicUrl(url)).build());
  }

  private void reject(int tunnelId, RegistrationException e) {
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

  private void rejectUnsupported(int tunnelId, String message) {
    send(ControlEvent.newBuilder().setTunnelRejected(TunnelRejected.newBuilder().setTunnelId(tunnelId)
        .setReason(RejectReason.UNSUPPORTED).setMessage(message)).build());
  }

  /** Unregisters {@code t}; a TCP tunnel's port is unbound (unless a newer session of the user took it over). */
  private void unregister(Tunnel t) {
    if (server.registry().unregister(t) && t.isTcp()) {
      server.tcp().release(t);
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
  @Override
  public boolean stopTunnel(Tunnel tunnel, String reason) {
    if (!tunnels.remove(tunnel.tunnelId(), tunnel)) {
      return false;
    }
    unregister(tunnel);
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

  /** Ends the session once: unregisters its tunnels, closes the pool (waiting exchanges fail, idle streams end). */
  void close(Status status, String why) {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    streams.close(Status.UNAVAILABLE.withDescription("the tunnel client disconnected"));
    for (Tunnel t : tunnels.values()) {
      unregister(t);
    }
    tunnels.clear();
    onClosed.accept(this);
    log.info("session {} of user {} ended: {}", id, user, why);
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

  /** Idle standby streams now (for gauges and tests). */
  public int idleStreams() {
    return streams.idleStreams();
  }

  /** The tunnels this session serves now. */
  public List<Tunnel> tunnels() {
    return List.copyOf(tunnels.values());
  }
}
