package dev.grok.client.files;

import dev.grok.client.forward.ExchangeObserver;
import dev.grok.client.forward.TunnelExchange;
import dev.grok.client.forward.TunnelResponses;
import dev.grok.common.compress.CompressibleBody;
import dev.grok.client.forward.TunnelSink;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange answered from the served directory. The response head goes out at once; the body is read one chunk
 * at a time while the tunnel stream is ready and resumes on its onReady, so at most gRPC's ready threshold plus one
 * chunk of a file is ever in memory. A request body (GET and HEAD rarely have one) is read and dropped, so the
 * stream ends clean. Confined to the stream's event loop.
 */
final class FileExchange implements TunnelExchange {
  private static final Logger log = LoggerFactory.getLogger(FileExchange.class);

  private final FileResolver resolver;
  private final RequestHead head;
  private final TunnelSink tunnel;
  /** Sees the exchange go by (the inspector); {@link ExchangeObserver#NONE} when nobody watches. */
  private final ExchangeObserver observer;
  // All fields below are owned by the stream's loop.
  /** The body still to send; null when there is none or once it was closed. */
  private BodySource body;
  private boolean requestEnded;
  private boolean responseEnded;
  /** Inside pump(): a nested onTunnelReady must not send out of order. */
  private boolean pumping;
  /** Over: exchangeDone or abort was reported, or the stream ended. */
  private boolean done;

  FileExchange(FileResolver resolver, RequestHead head, TunnelSink tunnel, ExchangeObserver observer) {
    this.observer = observer;
    this.resolver = resolver;
    this.head = head;
    this.tunnel = tunnel;
  }

  void start() {
    requestEnded = head.getEndOfBody();
    observer.onRequestHead(requestOf(head));
    if (requestEnded) {
      observer.onRequestEnd();
    }
    FileAnswer answer;
    try {
      answer = resolver.answer(head);
    } catch (IOException | RuntimeException e) {
      log.warn("exchange {}: {} {} failed: {}", head.getExchangeId(), head.getMethod(), head.getUri(), e.toString());
      answer = resolver.failure(head, e);
    }
    body = answer.body;
    responseEnded = body == null;
    observer.onResponseHead(responseOf(answer));
    tunnel.compressBody(!responseEnded && CompressibleBody.worthCompressing(answer.headers));
    tunnel.send(ClientFrame.newBuilder().setResponseHead(ResponseHead.newBuilder()
        .setStatus(answer.status).setReason(answer.reason).addAllHeaders(answer.headers)
        .setEndOfBody(responseEnded)).build());
    if (!requestEnded) {
      tunnel.requestNext();
    }
    pump();
    maybeFinish();
  }

  @Override
  public void onTunnelData(ByteBuf bytes, boolean endOfBody) {
    bytes.release(); // the request body is not used
    if (done) {
      return;
    }
    if (endOfBody) {
      requestEnded = true;
      observer.onRequestEnd(); // the body itself is not used, and not captured
      maybeFinish();
    } else {
      tunnel.requestNext(); // the request body is not used: drop it and ask for more
    }
  }

  @Override
  public void onTunnelReady() {
    pump();
    maybeFinish();
  }

  @Override
  public void onTunnelClosed() {
    if (!done) {
      observer.onEnd("the tunnel stream ended");
    }
    done = true;
    closeBody();
  }

  /** Sends body chunks while the stream is ready. */
  private void pump() {
    if (pumping || done || responseEnded) {
      return;
    }
    pumping = true;
    try {
      while (!responseEnded && !done && tunnel.isReady()) {
        ByteBuf chunk = body.next();
        boolean last = body.isDone();
        try {
          observer.onResponseBody(chunk);
          tunnel.send(TunnelResponses.data(chunk, last));
        } finally {
          chunk.release();
        }
        if (last) {
          responseEnded = true;
          closeBody();
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("exchange {}: reading {} failed mid-body: {}", head.getExchangeId(), head.getUri(), e.toString());
      done = true;
      closeBody();
      observer.onEnd("reading " + head.getUri() + " failed: " + e.getMessage());
      tunnel.abort("grok serve could not read " + head.getUri() + ": " + e.getMessage());
    } finally {
      pumping = false;
    }
  }

  private void maybeFinish() {
    if (!done && responseEnded && requestEnded) {
      done = true;
      observer.onEnd(null);
      tunnel.exchangeDone();
    }
  }

  /** The request as the observer is shown it (a directory sees the tunnel's head as it came). */
  private static HttpRequest requestOf(RequestHead head) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(head.getMethod()), head.getUri());
    for (Header h : head.getHeadersList()) {
      r.headers().add(h.getName(), h.getValue());
    }
    return r;
  }

  private static HttpResponse responseOf(FileAnswer answer) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        new HttpResponseStatus(answer.status, answer.reason));
    for (Header h : answer.headers) {
      r.headers().add(h.getName(), h.getValue());
    }
    return r;
  }

  private void closeBody() {
    if (body != null) {
      body.close();
      body = null;
    }
  }
}
