package dev.grok.client.forward;

import com.google.protobuf.ByteString;
import dev.grok.common.frames.InboundData;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one request to the local service the way a tunnel exchange does, without a tunnel: the inspector's replay.
 * It runs through {@link LocalHttpForwarder#start} like any exchange (same pool, Host rule and observer); the response
 * goes nowhere but to the observer. The body is sent in one frame: a replay body is at most the inspector's
 * capture limit.
 */
public final class LocalReplay implements TunnelSink {
  private final EventLoop loop;
  private final ByteString body;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  // Owned by loop.
  /** Null until the forwarder started the exchange. */
  private LocalHttpExchange exchange;
  private boolean bodySent;

  private LocalReplay(EventLoop loop, ByteString body) {
    this.loop = loop;
    this.body = body;
  }

  /**
   * Replays {@code method uri} with {@code headers} and {@code body} to the forwarder's local service.
   * Content-Length and Transfer-Encoding in {@code headers} are ignored: the body given decides the framing.
   *
   * @param exchangeId the id the observer factory sees (negative, so it never looks like a server's id)
   * @return completes when the exchange is over (exceptionally when it was aborted mid-response)
   */
  public static CompletableFuture<Void> send(LocalHttpForwarder forwarder, long exchangeId, String method, String uri,
      List<Map.Entry<String, String>> headers, byte[] body) {
    Objects.requireNonNull(body, "body");
    RequestHead.Builder head = RequestHead.newBuilder()
        .setExchangeId(exchangeId)
        .setMethod(method)
        .setUri(uri)
        .setEndOfBody(body.length == 0);
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey();
      if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")) {
        head.addHeaders(Header.newBuilder().setName(name).setValue(h.getValue()));
      }
    }
    if (body.length > 0) {
      head.addHeaders(Header.newBuilder().setName("Content-Length").setValue(String.valueOf(body.length)));
    }
    EventLoop loop = forwarder.loop();
    LocalReplay replay = new LocalReplay(loop, ByteString.copyFrom(body));
    RequestHead built = head.build();
    loop.execute(() -> replay.exchange = forwarder.start(loop, built, replay));
    return replay.done;
  }

  @Override
  public void send(ClientFrame frame) {
    // The response is of interest only to the observer, which saw it already.
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public void requestNext() {
    if (bodySent) {
      return;
    }
    bodySent = true;
    // Later, not now: requestNext is called from inside the exchange, which must not be re-entered.
    loop.execute(() -> exchange.onTunnelData(
        InboundData.wrap(body), true));
  }

  @Override
  public void abort(String reason) {
    done.completeExceptionally(new IllegalStateException("replay aborted: " + reason));
  }

  @Override
  public void exchangeDone() {
    done.complete(null);
  }
}
