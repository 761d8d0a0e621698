package dev.grok.client.session;

import dev.grok.client.TunnelTls;
import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.common.Version;
import dev.grok.common.compress.GrpcCodecs;
import dev.grok.common.tls.TlsProviders;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;
import java.util.concurrent.TimeUnit;

/** Builds the gRPC channel to the tunnel server and the interceptors that put our metadata on every call. */
final class TunnelChannels {
  private TunnelChannels() {}

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SESSION =
      Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /**
   * A channel on loop {@code index} of the shared event loops (a fixed placement: connection i of a session runs
   * on loop i, so that the connections of a session never share one thread by chance): plain text when {@code tls} is null, else TLS with it. Callbacks run
   * directly on the transport's event loop (no executor hop; they must never block); no retries, so gRPC never
   * buffers our messages for a replay.
   */
  static ManagedChannel open(String host, int port, EventLoops loops, int index, SslContext tls) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port);
    if (tls == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(tls).negotiationType(NegotiationType.TLS);
    }
    return builder
        .userAgent("grok-client/" + Version.current())
        .eventLoopGroup(loops.loop(index))
        .channelType(loops.channelType())
        .directExecutor()
        .compressorRegistry(GrpcCodecs.compressors())
        .decompressorRegistry(GrpcCodecs.decompressors())
        .disableRetry()
        .maxInboundMessageSize(Limits.MAX_MESSAGE_BYTES)
        .flowControlWindow(Limits.STREAM_WINDOW_BYTES)
        .keepAliveTime(20, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
  }

  /**
   * The TLS context of {@code tls}, null for plain text. A CA file that cannot be read is an
   * IllegalArgumentException naming it.
   */
  static SslContext sslContext(TunnelTls tls) {
    if (!tls.enabled()) {
      return null;
    }
    SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forClient(), TlsProviders.preferred());
    try {
      switch (tls.mode()) {
        case TRUST_FILE -> builder.trustManager(tls.caFile().toFile());
        case INSECURE -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        default -> { } // the JDK's trusted certificates
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      if (tls.caFile() != null) {
        throw new IllegalArgumentException("tls-ca: " + tls.caFile() + " is not a readable PEM certificate ("
            + e.getMessage() + "); expected e.g. the grok.crt that 'grok-server gencert' wrote", e);
      }
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** {@code authorization: Bearer TOKEN} on every call. */
  static ClientInterceptor bearer(String token) {
    Metadata md = new Metadata();
    md.put(AUTHORIZATION, "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }

  /** {@code grok-session: ID} on every Exchange call of one session. */
  static ClientInterceptor session(String sessionId) {
    Metadata md = new Metadata();
    md.put(SESSION, sessionId);
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }
}
