package dev.grok.server.tunnel.guard;

import dev.grok.server.metrics.Rejections;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * In front of the token check: refuses every call from an address that failed too many token checks lately
 * ({@link FailedAuthThrottle}) with RESOURCE_EXHAUSTED and a message containing {@code too many failed attempts},
 * and counts the calls the token check behind it refuses (UNAUTHENTICATED while it starts the call). The status is
 * deliberately not UNAUTHENTICATED: a grok client treats that as a bad token and exits, whereas a throttled client
 * shows the message and keeps retrying with its backoff, so it is back once the lockout is over.
 */
public final class AuthThrottleInterceptor implements ServerInterceptor {
  private final FailedAuthThrottle throttle;
  private final Rejections rejections;

  AuthThrottleInterceptor(FailedAuthThrottle throttle, Rejections rejections) {
    this.throttle = throttle;
    this.rejections = rejections;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    InetAddress address = addressOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    if (address == null) {
      return next.startCall(call, headers);
    }
    long lockedNanos = throttle.lockedForNanos(address);
    if (lockedNanos > 0) {
      rejections.tunnelPort("auth_throttled");
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(lockedNanos + TimeUnit.SECONDS.toNanos(1) - 1));
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("too many failed attempts with an invalid token from "
          + address.getHostAddress() + ": refused for " + seconds + " s more (check the token: grok config "
          + "set-token, or --token)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    StartingCall<Q, R> watched = new StartingCall<>(call, address);
    ServerCall.Listener<Q> listener = next.startCall(watched, headers);
    watched.starting = false;
    return listener;
  }

  private static InetAddress addressOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /**
   * Notes an UNAUTHENTICATED close made while the call is being started: the token check refusing the call. A
   * later UNAUTHENTICATED (a session ended because its token was revoked) is no failed attempt.
   */
  private final class StartingCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final InetAddress address;
    /** True until the handlers behind have started the call; written and read on the transport's thread. */
    boolean starting = true;

    StartingCall(ServerCall<Q, R> call, InetAddress address) {
      super(call);
      this.address = address;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (starting && status.getCode() == Status.Code.UNAUTHENTICATED) {
        rejections.tunnelPort("invalid_token");
        if (throttle.failed(address)) {
          rejections.tunnelPort("auth_locked_out");
        }
      }
      super.close(status, trailers);
    }
  }
}
