package dev.grok.server.edge.guard;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the visitor connections of one edge listener, in total and per client address, and turns away those
 * beyond {@link EdgeGuardConfig#maxConnections()} (closed at once, reason {@code max_connections}) or {@link
 * EdgeGuardConfig#maxConnectionsPerIp()} (a plain-text 429 then close, reason {@code max_connections_per_ip};
 * on TLS only the close). A refused connection costs one accept and one small write: it is never read, so a flood
 * from one address cannot hold the others' share. Shared by all connections of the listener; thread-safe.
 */
@ChannelHandler.Sharable
public final class EdgeConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final byte[] TOO_MANY = ("HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; "
      + "charset=utf-8\r\nContent-Length: 67\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"
      + "Too many connections from your address. Close some and try again.\n").getBytes(StandardCharsets.US_ASCII);

  private final EdgeGuardConfig config;
  private final EdgeGuardMetrics metrics;
  private final boolean tls;
  private final AtomicInteger total = new AtomicInteger();
  /** Connections per client address; an entry goes when its count returns to zero. */
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  public EdgeConnectionLimiter(EdgeGuardConfig config, EdgeGuardMetrics metrics, boolean tls) {
    this.config = config;
    this.metrics = metrics;
    this.tls = tls;
  }

  /**
   * Admits {@code ch} or turns it away; call first thing in the initializer. False when refused: the caller
   * installs nothing else.
   */
  public boolean admit(Channel ch) {
    InetAddress address = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    if (total.incrementAndGet() > config.maxConnections()) {
      total.decrementAndGet();
      metrics.rejected("max_connections");
      ch.close();
      return false;
    }
    if (address != null) {
      int count = perAddress.merge(address, 1, Integer::sum);
      if (count > config.maxConnectionsPerIp()) {
        release(address);
        total.decrementAndGet();
        metrics.rejected("max_connections_per_ip");
        if (tls) {
          ch.close();
        } else {
          ch.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY)).addListener(ChannelFutureListener.CLOSE);
        }
        return false;
      }
    }
    metrics.connectionOpened();
    ch.closeFuture().addListener(f -> {
      total.decrementAndGet();
      metrics.connectionClosed();
      if (address != null) {
        release(address);
      }
    });
    return true;
  }

  private void release(InetAddress address) {
    perAddress.computeIfPresent(address, (a, c) -> c <= 1 ? null : c - 1);
  }

  /** Connections admitted and still open. */
  public int open() {
    return total.get();
  }
}
