package dev.grok.server.tunnel.guard;

import dev.grok.server.metrics.Rejections;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AsciiString;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tunnel port's connections until they authenticate: each must make a call that passes the token check within
 * {@code authTimeout} (10 s by default) or it is closed, and at most {@code maxUnauthenticated} may wait at once
 * (beyond that a new connection is closed at once). A raw TCP connection that never speaks, a TLS handshake that
 * never ends, an HTTP/2 connection that only pings: all are gone after the deadline.
 *
 * <p>How it sees connections: gRPC offers no public hook per connection, so the server's protocol negotiator
 * (plain text or TLS, gRPC's own) is wrapped ({@link #wrap}) to put an {@link AuthDeadlineHandler} in each new
 * connection's pipeline; {@link #authenticatedMarker()}, an interceptor behind the token check, finds the
 * connection of an authenticated call by its remote address and clears its deadline. (grpc-netty marks the
 * negotiator API internal; the version is pinned in the pom.)
 *
 * <p>Thread-safe: handlers run on their connection's loop; the count and the map are concurrent.
 */
public final class TunnelConnections {
  private final long authTimeoutMillis;
  private final int maxUnauthenticated;
  private final Rejections rejections;
  /** Connections not yet authenticated. */
  private final AtomicInteger unauthenticated = new AtomicInteger();
  /** Their handlers by remote address; an entry leaves when its connection authenticates or closes. */
  private final ConcurrentHashMap<SocketAddress, AuthDeadlineHandler> waiting = new ConcurrentHashMap<>();

  TunnelConnections(Duration authTimeout, int maxUnauthenticated, Rejections rejections) {
    this.authTimeoutMillis = authTimeout.toMillis();
    this.maxUnauthenticated = maxUnauthenticated;
    this.rejections = rejections;
  }

  /** {@code delegate} (gRPC's plain-text or TLS negotiator) with a deadline handler in every connection. */
  InternalProtocolNegotiator.ProtocolNegotiator wrap(InternalProtocolNegotiator.ProtocolNegotiator delegate) {
    return new InternalProtocolNegotiator.ProtocolNegotiator() {
      @Override
      public AsciiString scheme() {
        return delegate.scheme();
      }

      @Override
      public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelHandler negotiation = delegate.newHandler(grpcHandler);
        return new ChannelHandlerAdapter() {
          @Override
          public void handlerAdded(ChannelHandlerContext ctx) {
            // Ahead of the negotiation: it sees the connection from its start, TLS handshake included.
            ctx.pipeline().addBefore(ctx.name(), null, new AuthDeadlineHandler(TunnelConnections.this));
            ctx.pipeline().replace(this, null, negotiation);
          }
        };
      }

      @Override
      public void close() {
        delegate.close();
      }
    };
  }

  /** Behind the token check: every call that reaches it is authenticated, and so is its connection. */
  ServerInterceptor authenticatedMarker() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote != null && !waiting.isEmpty()) {
          AuthDeadlineHandler connection = waiting.get(remote);
          if (connection != null) {
            connection.authenticated();
          }
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** Connections waiting to authenticate now. */
  public int unauthenticated() {
    return unauthenticated.get();
  }

  long authTimeoutMillis() {
    return authTimeoutMillis;
  }

  /** A new connection: false when too many are waiting already (it is then closed, counted here). */
  boolean admit(SocketAddress remote, AuthDeadlineHandler handler) {
    if (unauthenticated.incrementAndGet() > maxUnauthenticated) {
      unauthenticated.decrementAndGet();
      rejections.tunnelPort("unauthenticated_limit");
      return false;
    }
    if (remote != null) {
      waiting.put(remote, handler);
    }
    return true;
  }

  /** A waiting connection authenticated or closed. */
  void done(SocketAddress remote, AuthDeadlineHandler handler) {
    unauthenticated.decrementAndGet();
    if (remote != null) {
      waiting.remove(remote, handler);
    }
  }

  void timedOut() {
    rejections.tunnelPort("auth_timeout");
  }
}
