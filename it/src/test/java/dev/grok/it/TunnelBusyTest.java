package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.Hello;
import dev.grok.protocol.v1.OpenTunnel;
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
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request that waits in line for a stream the client never opens (a client at its stream cap, e.g. holding
 * 16,384 WebSockets) is answered 503 "Tunnel busy" when the response timeout ends, saying the request never reached
 * the local service: not 504 "Local service timed out", which would blame a service that never saw it. Played by
 * hand: a client that opens its tunnel and no Exchange stream.
 */
@Timeout(90)
class TunnelBusyTest {
  private static final String NAME = "no-streams";

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE)
      .responseTimeout(Duration.ofSeconds(1)).build();

  private static Metadata bearer(String token) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return md;
  }

  @Test
  void aRequestNoStreamTakesIsAnswered503NotBlamedOnTheLocalService() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", tunnel.server().tunnelPort()).usePlaintext()
        .build();
    try {
      TunnelGrpc.TunnelStub stub = TunnelGrpc.newStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(tunnel.server().adminToken())));
      BlockingQueue<ControlEvent> events = new LinkedBlockingQueue<>();
      StreamObserver<ControlRequest> control = stub.control(new StreamObserver<>() {
        @Override public void onNext(ControlEvent e) {
          events.add(e);
        }

        @Override public void onError(Throwable t) {}

        @Override public void onCompleted() {}
      });
      control.onNext(ControlRequest.newBuilder().setHello(Hello.newBuilder().setClientVersion("0.0.1")).build());
      assertThat(events.poll(20, TimeUnit.SECONDS).hasWelcome()).isTrue();
      control.onNext(ControlRequest.newBuilder().setOpenTunnel(OpenTunnel.newBuilder().setTunnelId(1)
          .setKind(TunnelKind.HTTP).setSubdomain(NAME)).build());
      assertThat(events.poll(20, TimeUnit.SECONDS).hasTunnelOpened()).isTrue();

      RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/x").host(tunnel.host(NAME)));

      assertThat(response.status()).isEqualTo(503);
      assertThat(response.bodyText()).contains("Tunnel busy").contains("did not reach the local service")
          .doesNotContain("Local service timed out");
      assertThat(events).anyMatch(ControlEvent::hasStreamDemand); // the server did ask the client for a stream
      control.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
