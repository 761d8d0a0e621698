package dev.grok.server.tunnel;

import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.stream.TunnelStream;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The gRPC service: a control session per {@code Control} call, a standby stream per {@code Exchange} call. */
public final class TunnelService extends TunnelGrpc.TunnelImplBase {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionManager sessions;
  private final SessionContext context;

  /** {@code context} is what every session of this server shares (registry, TCP ports, URLs, Welcome values). */
  public TunnelService(SessionManager sessions, SessionContext context) {
    this.sessions = sessions;
    this.context = context;
  }

  @Override
  public StreamObserver<ControlRequest> control(StreamObserver<ControlEvent> responseObserver) {
    TokenInfo principal = AuthInterceptor.PRINCIPAL.get();
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    ControlSession session = new ControlSession(HexFormat.of().formatHex(id), principal.id(), principal.user(),
        (ServerCallStreamObserver<ControlEvent>) responseObserver, context, sessions::remove);
    sessions.add(session);
    return session;
  }

  @Override
  public StreamObserver<ClientFrame> exchange(StreamObserver<ServerFrame> responseObserver) {
    ServerCallStreamObserver<ServerFrame> out = (ServerCallStreamObserver<ServerFrame>) responseObserver;
    ControlSession session = sessions.get(AuthInterceptor.SESSION_ID.get());
    TokenInfo principal = AuthInterceptor.PRINCIPAL.get();
    if (session == null || !session.tokenId().equals(principal.id())) {
      out.onError(Status.NOT_FOUND.withDescription("no such session: open a Control stream first")
          .asRuntimeException());
      return new StreamObserver<>() {
        @Override public void onNext(ClientFrame value) {}
        @Override public void onError(Throwable t) {}
        @Override public void onCompleted() {}
      };
    }
    TunnelStream stream = new TunnelStream(out, session.streams());
    session.streams().add(stream);
    return stream;
  }
}
