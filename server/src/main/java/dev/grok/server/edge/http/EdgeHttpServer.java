package dev.grok.server.edge.http;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.server.edge.guard.EdgeGuardMetrics;
import dev.grok.server.metrics.ExchangeObserver;
import dev.grok.server.registry.TunnelRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;

/** The public HTTP listener. Visitor connections are tracked so that shutdown can close the idle ones. */
public final class EdgeHttpServer implements AutoCloseable {
  private final EdgeContext edge;
  private final Channel listener;
  private final ChannelGroup connections;

  private EdgeHttpServer(EdgeContext edge, Channel listener, ChannelGroup connections) {
    this.edge = edge;
    this.listener = listener;
    this.connections = connections;
  }

  /** Binds {@code bind:port} (0: any free port) on the shared loops: plain HTTP/1.1 and h2c. */
  public static EdgeHttpServer start(EventLoops loops, String bind, int port, TunnelRegistry registry,
      String domain, Duration responseTimeout) throws InterruptedException {
    return start(loops, bind, port, registry, domain, responseTimeout, null, ExchangeObserver.NONE);
  }

  /**
   * Like {@link #start(EventLoops, String, int, TunnelRegistry, String, Duration)}; with {@code tls} non-null an
   * HTTPS edge (HTTP/1.1 or h2 by ALPN) whose exchanges carry {@code X-Forwarded-Proto: https}; {@code observer} is
   * told when each exchange ends.
   */
  public static EdgeHttpServer start(EventLoops loops, String bind, int port, TunnelRegistry registry,
      String domain, Duration responseTimeout, SslContext tls, ExchangeObserver observer)
      throws InterruptedException {
    return start(loops, bind, port, registry, domain, responseTimeout, tls, observer, EdgeGuardConfig.DEFAULTS,
        EdgeGuardMetrics.NONE, EdgeGuards.NONE);
  }

  /**
   * Like {@link #start(EventLoops, String, int, TunnelRegistry, String, Duration, SslContext, ExchangeObserver)}
   * with the edge's deadlines and connection limits {@code guard}, counted into {@code guardMetrics}, and
   * {@code guards}: the rate limit per tunnel and where the HTTP/2 refusals are counted.
   */
  public static EdgeHttpServer start(EventLoops loops, String bind, int port, TunnelRegistry registry,
      String domain, Duration responseTimeout, SslContext tls, ExchangeObserver observer, EdgeGuardConfig guard,
      EdgeGuardMetrics guardMetrics, EdgeGuards guards) throws InterruptedException {
    EdgeContext edge = new EdgeContext(registry, domain, responseTimeout, tls == null ? "http" : "https", observer,
        guard, guardMetrics, guards);
    ChannelGroup connections = new DefaultChannelGroup(tls == null ? "edge" : "edge-tls",
        GlobalEventExecutor.INSTANCE);
    ServerBootstrap b = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        // A visitor may half-close after its request (HTTP/1.0 tools, `nc -N`): it still gets its answer.
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES))
        .childHandler(tls == null ? new EdgeHttpInitializer(edge, connections)
            : new EdgeHttpsInitializer(edge, connections, tls));
    Channel ch = b.bind(bind, port).sync().channel();
    return new EdgeHttpServer(edge, ch, connections);
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Exchanges in progress. */
  public int inFlight() {
    return edge.inFlight.get();
  }

  /** Stops accepting new visitors; connections in progress continue. */
  public void stopAccepting() {
    listener.close().syncUninterruptibly();
  }

  @Override
  public void close() {
    stopAccepting();
    connections.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
