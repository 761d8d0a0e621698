package dev.grok.client;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.Heartbeat;
import dev.grok.protocol.v1.RejectReason;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TunnelClosed;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.protocol.v1.TunnelOpened;
import dev.grok.protocol.v1.TunnelRejected;
import dev.grok.protocol.v1.Welcome;
import dev.grok.testing.Await;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for grok-server's tunnel port: a real grpc-netty server on 127.0.0.1 that answers Hello
 * with Welcome and OpenTunnel with TunnelOpened (or the rejection a test set), echoes heartbeats, refuses a wrong
 * token with UNAUTHENTICATED, and records every control session and standby stream so a test can drive exchanges.
 */
final class FakeTunnelServer implements AutoCloseable {
  static final String TOKEN = "good-token";
  static final String DOMAIN = "grok.test:8080";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SESSION =
      Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> SESSION_ID = Context.key("grok-session");

  private final EventLoops loops = EventLoops.create("fake-tunnel-server", 1);
  private final AtomicInteger sessionCounter = new AtomicInteger();
  private Server server;
  private int port;

  /** Every control session, in order. */
  final BlockingQueue<FakeControl> sessions = new LinkedBlockingQueue<>();
  /** Every Exchange stream the client opened, in order. */
  final BlockingQueue<FakeStream> streams = new LinkedBlockingQueue<>();

  /** When set, OpenTunnel is answered with this rejection. */
  volatile RejectReason rejectWith;
  volatile String rejectMessage = "";
  /** Sent in Welcome (0: the client's default). */
  volatile int heartbeatIntervalMillis;
  /** Sent in Welcome: this fake reads body bytes inside a ResponseHead. */
  volatile boolean headWithBody;
  volatile boolean echoHeartbeats = true;
  /** Names held by "another user": asking for one gets ALREADY_TAKEN. */
  volatile java.util.Set<String> takenNames = java.util.Set.of();
  /** The name given to an OpenTunnel that asks for none. */
  volatile String randomName = "rnd0x7q2k";

  FakeTunnelServer start() throws IOException {
    return startOn(0);
  }

  private FakeTunnelServer startOn(int wantedPort) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", wantedPort))
        .bossEventLoopGroup(loops.group())
        .workerEventLoopGroup(loops.group())
        .channelType(loops.serverChannelType())
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .directExecutor()
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .flowControlWindow(Limits.STREAM_WINDOW_BYTES)
        .maxInboundMessageSize(Limits.MAX_MESSAGE_BYTES)
        .addService(ServerInterceptors.intercept(new Service(), new Auth()))
        .build()
        .start();
    port = server.getPort();
    return this;
  }

  int port() {
    return port;
  }

  /** Stops the server, cutting every connection. */
  void stop() throws InterruptedException {
    server.shutdownNow();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new AssertionError("fake tunnel server did not stop within 5 s");
    }
  }

  /** Starts again on the same port. */
  void restart() throws IOException {
    startOn(port);
  }

  FakeControl nextSession(Duration timeout) throws InterruptedException {
    return Await.poll(sessions, timeout, "a control session");
  }

  FakeStream nextStream(Duration timeout) throws InterruptedException {
    return Await.poll(streams, timeout, "a standby Exchange stream");
  }

  @Override
  public void close() throws InterruptedException {
    if (server != null) {
      stop();
    }
    loops.close();
  }

  /** Checks the bearer token and passes the session id of Exchange calls on in the context. */
  private static final class Auth implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      if (!("Bearer " + TOKEN).equals(headers.get(AUTHORIZATION))) {
        call.close(Status.UNAUTHENTICATED.withDescription("invalid token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      Context ctx = Context.current().withValue(SESSION_ID, headers.get(SESSION));
      return Contexts.interceptCall(ctx, call, headers, next);
    }
  }

  private final class Service extends TunnelGrpc.TunnelImplBase {
    @Override
    public StreamObserver<ControlRequest> control(StreamObserver<ControlEvent> out) {
      FakeControl control = new FakeControl((ServerCallStreamObserver<ControlEvent>) out);
      return new StreamObserver<>() {
        @Override
        public void onNext(ControlRequest request) {
          control.received.add(request);
          switch (request.getKindCase()) {
            case HELLO -> {
              control.id = "s" + sessionCounter.incrementAndGet();
              sessions.add(control);
              control.send(ControlEvent.newBuilder().setWelcome(Welcome.newBuilder()
                  .setSessionId(control.id)
                  .setServerVersion("fake")
                  .setHeartbeatIntervalMillis(heartbeatIntervalMillis)
                  .setHeadWithBody(headWithBody)).build());
            }
            case OPEN_TUNNEL -> {
              var open = request.getOpenTunnel();
              RejectReason reject = takenNames.contains(open.getSubdomain()) ? RejectReason.ALREADY_TAKEN
                  : rejectWith;
              if (reject != null) {
                control.send(ControlEvent.newBuilder().setTunnelRejected(TunnelRejected.newBuilder()
                    .setTunnelId(open.getTunnelId()).setReason(reject).setMessage(rejectMessage)).build());
              } else {
                String name = open.getSubdomain().isEmpty() ? randomName : open.getSubdomain();
                control.send(ControlEvent.newBuilder().setTunnelOpened(TunnelOpened.newBuilder()
                    .setTunnelId(open.getTunnelId())
                    .setSubdomain(name)
                    .setPublicUrl("http://" + name + "." + DOMAIN)).build());
              }
            }
            case HEARTBEAT -> {
              if (echoHeartbeats) {
                control.send(ControlEvent.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setSentAtMillis(request.getHeartbeat().getSentAtMillis())).build());
              }
            }
            default -> { }
          }
        }

        @Override
        public void onError(Throwable t) {
          control.ended.complete("cancelled: " + Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
          control.ended.complete("half-closed");
          control.complete();
        }
      };
    }

    @Override
    public StreamObserver<ClientFrame> exchange(StreamObserver<ServerFrame> out) {
      FakeStream stream = new FakeStream(SESSION_ID.get(), (ServerCallStreamObserver<ServerFrame>) out);
      streams.add(stream);
      return stream.inbound();
    }
  }

  /** Sends a TunnelClosed on {@code control}. */
  static ControlEvent tunnelClosed(String reason) {
    return ControlEvent.newBuilder().setTunnelClosed(TunnelClosed.newBuilder().setTunnelId(1).setReason(reason))
        .build();
  }
}
