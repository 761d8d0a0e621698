package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Compression;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.Hello;
import dev.grok.protocol.v1.OpenTunnel;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.protocol.v1.TunnelKind;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose gRPC channel knows no zstd (an older grok, or any grpc-java client with the default registries)
 * asks for zstd anyway: grpc-java's server sees that its {@code grpc-accept-encoding} lacks zstd and sends the
 * request body plain, so the client reads every frame. Played by hand with the protocol's messages.
 */
@Timeout(90)
class CompressionOldClientTest {
  private static final String NAME = "old-client";

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE).build();
  static AdminHttp admin;

  @BeforeAll
  static void start() {
    admin = new AdminHttp(tunnel.server());
  }

  /** Collects what a stream receives. */
  private static final class Inbox<T> implements StreamObserver<T> {
    final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(t);
    }

    @Override
    public void onCompleted() {
      ended.complete(null);
    }

    T next() throws InterruptedException {
      T m = messages.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a message within 20 s (stream ended: %s)", ended.getNow(null)).isNotNull();
      return m;
    }
  }

  private static Metadata header(String name, String value) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
    return md;
  }

  @Test
  void aClientWithoutZstdGetsZstdRequestBodiesPlain() throws Exception {
    // the default registries: gzip and identity only, as an older grok client has them
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", tunnel.server().tunnelPort()).usePlaintext()
        .build();
    try {
      TunnelGrpc.TunnelStub stub = TunnelGrpc.newStub(channel).withInterceptors(MetadataUtils
          .newAttachHeadersInterceptor(header(Limits.AUTHORIZATION_HEADER, "Bearer " + tunnel.server().adminToken())));
      Inbox<ControlEvent> events = new Inbox<>();
      StreamObserver<ControlRequest> control = stub.control(events);
      control.onNext(ControlRequest.newBuilder().setHello(Hello.newBuilder().setClientVersion("0.0.1")).build());
      ControlEvent welcome = events.next();
      assertThat(welcome.getWelcome().getMessageEncodingsList()).contains("zstd", "gzip");

      Inbox<ServerFrame> frames = new Inbox<>();
      StreamObserver<ClientFrame> exchange = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
          header(Limits.SESSION_HEADER, welcome.getWelcome().getSessionId()))).exchange(frames);
      control.onNext(ControlRequest.newBuilder().setOpenTunnel(OpenTunnel.newBuilder().setTunnelId(1)
          .setKind(TunnelKind.HTTP).setSubdomain(NAME).setCompression(Compression.COMPRESSION_ZSTD)).build());
      assertThat(events.next().hasTunnelOpened()).isTrue();

      byte[] body = TextBodies.html(256 * 1024);
      TunnelWireBytes before = TunnelWireBytes.scrape(admin);
      CompletableFuture<RawResponse> visitor = CompletableFuture.supplyAsync(() -> {
        try {
          return RawHttp.exchange(tunnel.httpPort(), RawRequest.of("POST", "/page").host(tunnel.host(NAME))
              .header("Content-Type", "text/html").body(body));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      assertThat(frames.next().hasRequestHead()).isTrue();
      long received = 0;
      while (true) {
        ServerFrame f = frames.next();
        assertThat(f.hasData()).isTrue();
        received += f.getData().getBytes().size();
        if (f.getData().getEndOfBody()) {
          break;
        }
      }
      exchange.onNext(ClientFrame.newBuilder().setResponseHead(ResponseHead.newBuilder().setStatus(204)
          .setEndOfBody(true)).build());

      assertThat(visitor.get(20, TimeUnit.SECONDS).status()).isEqualTo(204);
      assertThat(received).isEqualTo(body.length);
      TunnelWireBytes used = TunnelWireBytes.scrape(admin).since(before);
      assertThat(used.wireIn()).as("sent plain").isEqualTo(used.plainIn()).isGreaterThanOrEqualTo(body.length);
      exchange.onCompleted();
      control.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
