package dev.grok.server.tunnel;

import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.edge.tcp.TcpEdge;
import dev.grok.server.registry.TunnelRegistry;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The gRPC service: a control session per {@code Control} call, a standby stream per {@code Exchange} call. */
public final class TunnelService extends TunnelGrpc.TunnelImplBase {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionManager sessions;
  private final TunnelRegistry registry;
  private final String publicUrlFormat;
  private final TcpEdge tcpEdge;
  private final int streamConnections;

  /**
   * {@code publicUrlFormat} has one {@code %s} for the subdomain, e.g. {@code http://%s.localhost:8080};
   * {@code tcpEdge} binds the ports of TCP tunnels; {@code streamConnections} is what each client is asked to spread
   * its streams over: the server's event loops.
   */
  public TunnelService(SessionManager sessions, TunnelRegistry registry, String publicUrlFormat, TcpEdge tcpEdge,
      int streamConnections) {
    this.sessions = sessions;
    this.registry = registry;
    this.publicUrlFormat = publicUrlFormat;
    this.tcpEdge = tcpEdge;
    this.streamConnections = streamConnections;
  }

  @Override
  public StreamObserver<ControlRequest> control(StreamObserver<ControlEvent> responseObserver) {
    TokenInfo principal = AuthInterceptor.PRINCIPAL.get();
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    ControlSession session = new ControlSession(HexFormat.of().formatHex(id), principal.id(), principal.user(), principal.org(),
        (ServerCallStreamObserver<ControlEvent>) responseObserver, sessions, registry, publicUrlFormat, tcpEdge,
        streamConnections);
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
    TunnelStream stream = new TunnelStream(out, session);
    session.addStream(stream);
    return stream;
  }
}
