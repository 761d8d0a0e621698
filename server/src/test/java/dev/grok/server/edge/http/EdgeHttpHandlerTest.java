package dev.grok.server.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.server.registry.RecordingOwner;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.stream.RecordingServerCall;
import dev.grok.server.stream.TunnelStream;
import dev.grok.testing.leak.LeakDetection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The edge's demand-driven reading and its response timeout without sockets: an {@link EmbeddedChannel} with the
 * request decoder and {@link EdgeHttpHandler}, a real registry whose tunnel's pool holds streams on recorded gRPC
 * calls, and the channel's frozen clock for the timeout.
 */
@ExtendWith(LeakDetection.class)
class EdgeHttpHandlerTest {
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final TunnelRegistry registry = new TunnelRegistry(10);
  private final RecordingOwner owner = new RecordingOwner(registry);
  private final List<RecordingServerCall<ServerFrame>> calls = new ArrayList<>();
  private final List<TunnelStream> streams = new ArrayList<>();
  private EmbeddedChannel channel;

  @BeforeEach
  void start() throws Exception {
    registry.register("demo", 1, "alice", owner);
    EdgeContext edge = new EdgeContext(registry, "localhost", RESPONSE_TIMEOUT, "http");
    channel = new EmbeddedChannel(new HttpRequestDecoder(), new EdgeHttpHandler(edge));
    channel.freezeTime();
  }

  @AfterEach
  void stop() {
    channel.finishAndReleaseAll();
  }

  /** A standby stream arrives from the client. */
  private RecordingServerCall<ServerFrame> addStream() {
    RecordingServerCall<ServerFrame> call = new RecordingServerCall<>();
    TunnelStream s = new TunnelStream(call, owner.streams());
    calls.add(call);
    streams.add(s);
    owner.streams().add(s);
    return call;
  }

  private void visitorSends(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    channel.runPendingTasks();
  }

  /** Every frame the edge sent on any stream, in stream order. */
  private List<ServerFrame> sent() {
    return calls.stream().flatMap(c -> c.sent.stream()).toList();
  }

  private List<String> requestUris() {
    return sent().stream().filter(ServerFrame::hasRequestHead).map(f -> f.getRequestHead().getUri()).toList();
  }

  private List<String> bodyChunks() {
    return sent().stream().filter(ServerFrame::hasData)
        .map(f -> f.getData().getBytes().toString(StandardCharsets.US_ASCII)).toList();
  }

  /** The client answers the exchange on stream {@code i} with an empty 200. */
  private void clientAnswers(int i) {
    streams.get(i).onNext(ClientFrame.newBuilder().setResponseHead(ResponseHead.newBuilder().setStatus(200)
        .setEndOfBody(true)).build());
    channel.runPendingTasks();
  }

  /** Status codes of the responses written to the visitor so far (their messages released). */
  private List<Integer> responses() {
    List<Integer> statuses = new ArrayList<>();
    Object msg;
    while ((msg = channel.readOutbound()) != null) {
      if (msg instanceof HttpResponse r) {
        statuses.add(r.status().code());
      }
      ReferenceCountUtil.release(msg);
    }
    return statuses;
  }

  @Test
  void pipelinedRequestsAreTakenOneAtATime() {
    addStream();
    addStream();
    visitorSends("GET /one HTTP/1.1\r\nHost: demo.localhost\r\n\r\nGET /two HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
    assertThat(requestUris()).as("the second waits for the first exchange").containsExactly("/one");

    clientAnswers(indexOfStreamWith("/one"));
    assertThat(responses()).containsExactly(200);
    assertThat(requestUris()).containsExactly("/one", "/two");
  }

  private int indexOfStreamWith(String uri) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).sent.stream().anyMatch(f -> f.hasRequestHead() && f.getRequestHead().getUri().equals(uri))) {
        return i;
      }
    }
    throw new AssertionError("no stream carried " + uri);
  }

  @Test
  void bodyChunksAreTakenOnlyWhileTheStreamIsReady() {
    RecordingServerCall<ServerFrame> call = addStream();
    call.setReady(false);
    visitorSends("POST /upload HTTP/1.1\r\nHost: demo.localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
    visitorSends("5\r\nfirst\r\n");
    visitorSends("6\r\nsecond\r\n");
    assertThat(requestUris()).containsExactly("/upload");
    assertThat(bodyChunks()).as("nothing while the stream is not ready: the chunks wait").isEmpty();

    call.setReady(true); // gRPC's onReady
    channel.runPendingTasks();
    assertThat(bodyChunks()).as("the backlog is handed over on demand").containsExactly("first", "second");

    // The stream turns not ready with one read asked for while it was: that one chunk goes, the next waits.
    call.setReady(false);
    visitorSends("5\r\nthird\r\n6\r\nfourth\r\n0\r\n\r\n");
    assertThat(bodyChunks()).containsExactly("first", "second", "third");
    call.setReady(true);
    channel.runPendingTasks();
    assertThat(bodyChunks()).containsExactly("first", "second", "third", "fourth", "");
    assertThat(call.sent.getLast().getData().getEndOfBody()).isTrue();
  }

  @Test
  void exchangeWithoutAStreamWaitsAndStartsWhenOneArrives() {
    visitorSends("GET /later HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
    assertThat(owner.demanded).as("the client is asked for streams").isNotEmpty();
    assertThat(owner.streams().waitingExchanges()).isEqualTo(1);

    addStream();
    channel.runPendingTasks();
    assertThat(requestUris()).containsExactly("/later");
  }

  @Test
  void responseTimeoutAnswers504OnTheChannelClock() {
    RecordingServerCall<ServerFrame> call = addStream();
    visitorSends("GET /slow HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");

    channel.advanceTimeBy(RESPONSE_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(responses()).as("not yet").isEmpty();

    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(responses()).containsExactly(504);
    assertThat(call.ended()).as("a late answer must not reach the next exchange")
        .startsWith("error: Status{code=CANCELLED");
  }

  @Test
  void responseHeadInTimeCancelsTheTimeout() {
    addStream();
    visitorSends("GET /fast HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
    channel.advanceTimeBy(RESPONSE_TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
    clientAnswers(0);

    channel.advanceTimeBy(RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(responses()).containsExactly(200);
    assertThat(owner.streams().idleStreams()).as("the stream went back to the pool").isEqualTo(1);
  }

  @Test
  void streamDataIsRelayedToTheVisitorAsItArrives() {
    addStream();
    visitorSends("GET /stream HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
    streams.getFirst().onNext(ClientFrame.newBuilder().setResponseHead(ResponseHead.newBuilder().setStatus(200))
        .build());
    streams.getFirst().onNext(ClientFrame.newBuilder().setData(Data.newBuilder()
        .setBytes(com.google.protobuf.ByteString.copyFromUtf8("chunk")).setEndOfBody(true)).build());
    channel.runPendingTasks();
    Object head = channel.readOutbound();
    assertThat(head).isInstanceOf(HttpResponse.class).isNotInstanceOf(FullHttpResponse.class);
    ReferenceCountUtil.release(head);
    StringBuilder body = new StringBuilder();
    Object msg;
    while ((msg = channel.readOutbound()) != null) {
      if (msg instanceof io.netty.handler.codec.http.HttpContent c) {
        body.append(c.content().toString(StandardCharsets.US_ASCII));
      }
      ReferenceCountUtil.release(msg);
    }
    assertThat(body).hasToString("chunk");
  }

  @Test
  void unknownTunnelIsAnswered404WithoutTakingAStream() {
    addStream();
    visitorSends("GET / HTTP/1.1\r\nHost: nobody.localhost\r\n\r\n");
    assertThat(responses()).containsExactly(404);
    assertThat(sent()).isEmpty();
  }

  @Test
  void tunnelOfAGoneOwnerIsAnswered502() {
    owner.streams().close(io.grpc.Status.UNAVAILABLE);
    visitorSends("GET / HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
    assertThat(responses()).containsExactly(502);
  }
}
