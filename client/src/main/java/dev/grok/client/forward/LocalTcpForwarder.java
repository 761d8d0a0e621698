package dev.grok.client.forward;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TcpOpen;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Forwards TCP exchanges ({@code grok tcp}): each TcpOpen from the server dials one new connection to the local
 * service at once (a service that speaks first, such as an SMTP banner, is heard before the visitor sends
 * anything), on the loop of the tunnel stream that carries it. Connections are never pooled: each is one visitor's.
 */
public final class LocalTcpForwarder implements Forwarder {
  private final EventLoops loops;
  private final LocalAddresses target;
  /** A bootstrap per loop of the group, fixed at construction, so that a connection lives on its stream's loop. */
  private final Map<EventLoop, Bootstrap> bootstraps = new IdentityHashMap<>();

  /** Makes an observer for every connection; {@link ExchangeObserver.Factory#NONE} when nobody watches. */
  private final ExchangeObserver.Factory observers;

  public LocalTcpForwarder(EventLoops loops, String host, int port) {
    this(loops, host, port, ExchangeObserver.Factory.NONE);
  }

  /** Like the other constructor, with an observer of every connection (the inspector). */
  public LocalTcpForwarder(EventLoops loops, String host, int port, ExchangeObserver.Factory observers) {
    this.observers = Objects.requireNonNull(observers, "observers");
    this.loops = Objects.requireNonNull(loops, "loops");
    this.target = new LocalAddresses(Objects.requireNonNull(host, "host"), port);
    for (EventExecutor executor : loops.group()) {
      EventLoop loop = (EventLoop) executor;
      bootstraps.put(loop, new Bootstrap()
          .group(loop)
          .channel(loops.channelType())
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Limits.LOCAL_CONNECT_TIMEOUT_MILLIS)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .option(ChannelOption.TCP_NODELAY, true)
          // One socket read is at most one Data frame.
          .option(ChannelOption.RCVBUF_ALLOCATOR,
              new AdaptiveRecvByteBufAllocator(512, 16 * 1024, Limits.MAX_CHUNK_BYTES))
          .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
              new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES)));
    }
  }

  @Override
  public EventLoop loop() {
    return loops.currentOrNext();
  }

  /** Starts a TCP exchange for a TcpOpen; null for any other opening frame (this forwarder is TCP only). */
  @Override
  public TunnelExchange start(EventLoop loop, ServerFrame opening, TunnelSink tunnel) {
    if (!opening.hasTcpOpen()) {
      return null;
    }
    Bootstrap bootstrap = bootstraps.get(loop);
    if (bootstrap == null || !loop.inEventLoop()) {
      throw new IllegalStateException("start: not on one of the forwarder's event loops");
    }
    TcpOpen open = opening.getTcpOpen();
    ExchangeObserver observer = observers.open(open.getExchangeId());
    observer.onConnectionOpened(open.getRemoteAddress(), open.getRemotePort());
    LocalTcpExchange exchange = new LocalTcpExchange(target, open, tunnel, observer);
    exchange.start(bootstrap, loop);
    return exchange;
  }

  /** Nothing is pooled: every connection closes with its exchange. */
  @Override
  public void close() {}
}
