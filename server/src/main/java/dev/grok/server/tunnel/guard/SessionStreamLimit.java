package dev.grok.server.tunnel.guard;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.server.metrics.Rejections;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the Exchange streams one session holds open at once; a stream beyond the cap ends at once with
 * RESOURCE_EXHAUSTED saying so, and the session's other streams go on. Sits behind the token check, so only
 * authenticated calls are counted; streams are counted by the session id they name (a stream naming no live
 * session is refused by the service itself a moment later).
 *
 * <p>The cap: the grok client holds at most {@code StandbyPool.MAX_STREAMS} (16,384) streams per session, and
 * about one per concurrent visitor plus 8 idle ones below that (1,008 for 1,000 visitors); a stream stays counted
 * here until its call has closed, which may trail the client's count briefly. {@link #MAX_STREAMS_PER_SESSION}
 * leaves room for both, and bounds what a client that opens streams without end can make the server hold.
 * Thread-safe (any transport thread).
 */
public final class SessionStreamLimit implements ServerInterceptor {
  /** Exchange streams one session may hold open at once. */
  public static final int MAX_STREAMS_PER_SESSION = 18_000;

  private static final Metadata.Key<String> SESSION =
      Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final String EXCHANGE = TunnelGrpc.getExchangeMethod().getFullMethodName();

  private final int maxStreams;
  private final Rejections rejections;
  /** Open streams by session id; an entry leaves when its count is back to zero. */
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  SessionStreamLimit(int maxStreams, Rejections rejections) {
    this.maxStreams = maxStreams;
    this.rejections = rejections;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String session = headers.get(SESSION);
    if (session == null || !EXCHANGE.equals(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    boolean[] admitted = new boolean[1];
    open.compute(session, (id, n) -> {
      int count = n == null ? 0 : n;
      admitted[0] = count < maxStreams;
      return admitted[0] ? count + 1 : count;
    });
    if (!admitted[0]) {
      rejections.tunnelPort("session_stream_limit");
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("too many streams for this session: " + maxStreams
          + " are open (limit " + maxStreams + "); a grok client holds at most 16384"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean counted = new AtomicBoolean(true);
    Runnable release = () -> {
      if (counted.compareAndSet(true, false)) {
        open.computeIfPresent(session, (id, n) -> n <= 1 ? null : n - 1);
      }
    };
    ServerCall<Q, R> closing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        release.run();
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(closing, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        release.run();
        super.onCancel();
      }

      @Override
      public void onComplete() {
        release.run();
        super.onComplete();
      }
    };
  }

  /** Streams counted for {@code session} now (tests). */
  int openStreams(String session) {
    return open.getOrDefault(session, 0);
  }
}
