package dev.grok.testing.websocket;

import dev.grok.testing.Header;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One handshake as the origin saw it (method, raw request-target, headers in order), and its connection: tests wait
 * for it to close, or close it from the origin's side (a WebSocket close, or a bare TCP half-close).
 */
public final class OriginSession {
  private final Channel channel;
  private final String method;
  private final String uri;
  private final List<Header> headers;

  OriginSession(Channel channel, String method, String uri, List<Header> headers) {
    this.channel = channel;
    this.method = method;
    this.uri = uri;
    this.headers = List.copyOf(headers);
  }

  public String method() {
    return method;
  }

  /** The request-target exactly as received (path and query). */
  public String uri() {
    return uri;
  }

  public List<Header> headers() {
    return headers;
  }

  /** The first value of header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    return Header.first(headers, name);
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** Sends a close frame (1000, {@code reason}) and closes the connection once it is written. */
  public void closeWebSocket(String reason) {
    channel.writeAndFlush(new CloseWebSocketFrame(1000, reason)).addListener(ChannelFutureListener.CLOSE);
  }

  /** Sends a TCP FIN without any WebSocket close frame; the origin still reads. */
  public void shutdownOutput() {
    ((DuplexChannel) channel).shutdownOutput().syncUninterruptibly();
  }

  /** Waits until the origin's connection is closed; fails after {@code timeout}. */
  public void awaitClosed(Duration timeout) {
    if (!channel.closeFuture().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the origin's connection for " + uri + " is still open after " + timeout);
    }
  }

  @Override
  public String toString() {
    return method + " " + uri + " " + headers;
  }
}
