package dev.grok.client.inspect;

import dev.grok.client.forward.ExchangeObserver;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;

/**
 * Captures one exchange for the inspector, on the exchange's event loop: the heads, a bounded copy of each body and
 * the timings. Publishes a snapshot when the request head went out, one when the request body has gone by whole
 * (so that a replay never takes a body still arriving for the whole one) and one at the end; the inspector takes
 * them off this thread. A TCP exchange is captured as a connection: its peer, bytes each way, duration, ending.
 */
final class ExchangeCapture implements ExchangeObserver {
  private final Inspector inspector;
  private final long id;
  private final long replayOf;
  private final long startNanos = System.nanoTime();
  private final long startedAtMillis = System.currentTimeMillis();
  private final BodyBuffer requestBody;
  private final BodyBuffer responseBody;

  // Owned by the exchange's event loop.
  private String method = "";
  private String uri = "";
  private List<HeaderLine> requestHeaders = List.of();
  private int status;
  private String reason = "";
  private List<HeaderLine> responseHeaders = List.of();
  private long connectNanos = -1;
  private long localResponseNanos = -1;
  /** The whole request body went by (onRequestEnd): replaying it is now possible. */
  private boolean requestComplete;
  /** {@code address:port} of a TCP visitor; null for an HTTP exchange. */
  private String peer;
  private boolean ended;

  ExchangeCapture(Inspector inspector, long id, long replayOf) {
    this.inspector = inspector;
    this.id = id;
    this.replayOf = replayOf;
    this.requestBody = inspector.bodyBuffer();
    this.responseBody = inspector.bodyBuffer();
  }

  @Override
  public void onRequestHead(HttpRequest request) {
    method = request.method().name();
    uri = request.uri();
    requestHeaders = HeaderLine.of(request.headers());
    inspector.publish(snapshot(false, 0, null, CapturedBody.EMPTY, CapturedBody.EMPTY));
  }

  @Override
  public void onConnectionOpened(String remoteAddress, int remotePort) {
    method = "TCP";
    peer = remoteAddress + ":" + remotePort;
    inspector.publish(snapshot(false, 0, null, CapturedBody.EMPTY, CapturedBody.EMPTY));
  }

  @Override
  public void onRequestEnd() {
    requestComplete = true;
    // A third snapshot, with the whole request: the inspector can replay the request before its response is in.
    inspector.publish(snapshot(false, 0, null, requestBody.snapshot(), CapturedBody.EMPTY));
  }

  @Override
  public void onLocalConnected(long nanos) {
    connectNanos = nanos;
  }

  @Override
  public void onRequestBody(ByteBuf chunk) {
    requestBody.append(chunk);
  }

  @Override
  public void onResponseHead(HttpResponse response) {
    localResponseNanos = System.nanoTime() - startNanos;
    status = response.status().code();
    reason = response.status().reasonPhrase();
    responseHeaders = HeaderLine.of(response.headers());
  }

  @Override
  public void onResponseBody(ByteBuf chunk) {
    responseBody.append(chunk);
  }

  @Override
  public void onEnd(String failure) {
    if (ended) {
      return;
    }
    ended = true;
    inspector.publish(snapshot(true, System.nanoTime() - startNanos, failure, requestBody.finish(),
        responseBody.finish()));
  }

  private CapturedExchange snapshot(boolean done, long durationNanos, String failure, CapturedBody req,
      CapturedBody resp) {
    return new CapturedExchange(id, replayOf, startedAtMillis, method, uri, requestHeaders, req, status, reason,
        responseHeaders, resp, done, durationNanos, connectNanos, localResponseNanos, failure, requestComplete, peer);
  }
}
