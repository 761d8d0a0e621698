package dev.grok.server.tunnel.guard;

import dev.grok.server.metrics.Rejections;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every limit of the tunnel port, applied to its gRPC server in one place: the authentication deadline and the
 * cap of unauthenticated connections ({@link TunnelConnections}), the throttle of failed token attempts
 * ({@link AuthThrottleInterceptor}), the streams per session ({@link SessionStreamLimit}) and per connection, and
 * the HTTP/2 transport's keepalive and reset limits. docs/security.md, "Tunnel port", lists them with their
 * defaults.
 */
public final class TunnelPortLimits {
  /**
   * Pings closer together than this are a strike (two strikes: GOAWAY ENHANCE_YOUR_CALM "too_many_pings"). The
   * grok client pings every 20 s (TunnelChannels), also without calls: half of that is allowed.
   */
  public static final int PERMIT_KEEPALIVE_SECONDS = 10;
  /**
   * Concurrent calls on one connection (SETTINGS_MAX_CONCURRENT_STREAMS): a session's whole stream cap plus its
   * control call, since a client on a one-loop server puts all of its streams on one connection.
   */
  public static final int MAX_CALLS_PER_CONNECTION = SessionStreamLimit.MAX_STREAMS_PER_SESSION + 16;
  /**
   * Rapid reset on the tunnel port: RST_STREAM frames one connection may send per window before GOAWAY. The grok
   * client resets a stream only when a local service breaks mid-response, far below 500 a second.
   */
  public static final int MAX_RESETS_PER_WINDOW = 5_000;
  public static final int RESET_WINDOW_SECONDS = 10;

  private final TunnelConnections connections;
  private final AuthThrottleInterceptor throttle;
  private final SessionStreamLimit streams;

  /**
   * @param authTimeout a connection with no authenticated call by then is closed
   * @param maxUnauthenticated connections waiting to authenticate at once
   * @param maxFailedAuthPerMinute failed token attempts per address and minute before a lockout (0: no throttle)
   * @param failedAuthLockout how long a locked-out address is refused
   * @param rejections where refusals are counted
   */
  public TunnelPortLimits(Duration authTimeout, int maxUnauthenticated, int maxFailedAuthPerMinute,
      Duration failedAuthLockout, Rejections rejections) {
    this.connections = new TunnelConnections(authTimeout, maxUnauthenticated, rejections);
    this.throttle = new AuthThrottleInterceptor(
        new FailedAuthThrottle(maxFailedAuthPerMinute, failedAuthLockout, System::nanoTime), rejections);
    this.streams = new SessionStreamLimit(SessionStreamLimit.MAX_STREAMS_PER_SESSION, rejections);
  }

  /** Sets the transport's limits and the connection guard on {@code builder}; {@code tls} null for plain text. */
  public NettyServerBuilder configure(NettyServerBuilder builder, SslContext tls) {
    return builder
        .protocolNegotiator(connections.wrap(tls == null ? InternalProtocolNegotiators.serverPlaintext()
            : InternalProtocolNegotiators.serverTls(tls)))
        .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
        .maxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
        .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
  }

  /** {@code service} behind the guards and {@code auth}: throttle, then auth, then the marker and stream cap. */
  public ServerServiceDefinition intercept(BindableService service, ServerInterceptor auth) {
    // The last interceptor given is called first.
    return ServerInterceptors.intercept(service, streams, connections.authenticatedMarker(), auth, throttle);
  }

  /** Connections waiting to authenticate now (tests, gauges). */
  public int unauthenticatedConnections() {
    return connections.unauthenticated();
  }
}
