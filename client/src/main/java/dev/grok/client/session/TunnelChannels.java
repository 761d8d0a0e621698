package dev.grok.client.session;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.common.Version;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** Builds the gRPC channel to the tunnel server and the interceptors that put our metadata on every call. */
final class TunnelChannels {
  private TunnelChannels() {}

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SESSION =
      Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /**
   * A plaintext channel on the shared event loops. Callbacks run directly on the transport's event loop (no
   * executor hop; they must never block); no retries, so gRPC never buffers our messages for a replay.
   */
  static ManagedChannel open(String host, int port, EventLoops loops) {
    return NettyChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .userAgent("grok-client/" + Version.current())
        .eventLoopGroup(loops.group())
        .channelType(loops.channelType())
        .directExecutor()
        .disableRetry()
        .maxInboundMessageSize(Limits.MAX_MESSAGE_BYTES)
        .flowControlWindow(Limits.STREAM_WINDOW_BYTES)
        .keepAliveTime(20, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
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
