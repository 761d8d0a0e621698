package dev.grok.testing.origin;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on {@code 127.0.0.1:0} standing in for the developer's local service. It records every
 * request in {@link #requests()} and answers by raw path, unless a test set a {@link #setFault(Fault)} for every
 * request or registered its own {@link #route(String, OriginHandler)} (longest prefix wins over built-ins):
 *
 * <ul>
 *   <li>{@code /echo...}: 200, the request body streamed back chunk by chunk as it arrives (chunked encoding,
 *       backpressure: reading stops while the socket does not drain), headers {@code X-Echo-Method}, {@code
 *       X-Echo-Uri} (raw), {@code X-Echo-Host}, {@code X-Echo-Header-Count}; {@code Content-Type} echoed;
 *   <li>{@code /status/NNN} (200 to 599): that status, body {@code status NNN\n} (none for 204, 304, HEAD);
 *   <li>{@code /bytes/N}: N bytes of {@link dev.grok.testing.BytePattern}, {@code Content-Length: N};
 *   <li>{@code /sha256}: the body's digest as {@code {"sha256":"HEX","length":N}}, body never held whole;
 *   <li>{@code /cookies}: {@code Set-Cookie} {@link #COOKIES} then {@code X-Multi} {@link #MULTI_VALUES};
 *   <li>{@code /slow?chunks=N&delayMs=D} or {@code /slow?chunks=N&gate=true}: see {@link SlowStream};
 *   <li>{@code /stall}: reads the request and never answers;
 *   <li>{@code /fault/NAME}: the {@link Fault} of that name for this request;
 *   <li>anything else: 200 {@code text/plain} {@link #DEFAULT_BODY}.
 * </ul>
 *
 * <p>Every response except echo's and faults' is written after the whole request body was read. Keep-alive,
 * pipelining and {@code Connection: close} work as in any server; {@code Expect: 100-continue} is answered.
 * Thread-safe; {@link #close()} closes every connection.
 */
public final class LocalHttpOrigin implements AutoCloseable {
  /** Body of the default answer. */
  public static final String DEFAULT_BODY = "hello from origin\n";

  /** {@code Set-Cookie} values of {@code /cookies}, in order. */
  public static final List<String> COOKIES = List.of("a=1", "b=2");

  /** {@code X-Multi} values of {@code /cookies}, in order. */
  public static final List<String> MULTI_VALUES = List.of("one", "two", "three");

  private static final int MAX_LINE_AND_HEADER_BYTES = 64 * 1024;

  /** The group this origin created and closes, or null when the caller lent one. */
  private final EventLoops ownedLoops;
  private final Channel serverChannel;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final RecordingRequests recordings = new RecordingRequests();
  private final OriginRoutes routes = new OriginRoutes();
  private final BlockingQueue<SlowStream> slowStreams = new LinkedBlockingQueue<>();
  private final AtomicLong acceptedConnections = new AtomicLong();
  /** Open connections; guarded by itself, notified on every close. */
  private final Object openLock = new Object();
  private int openConnections;
  /** The fault for every request, or null for routing by path. */
  private volatile Fault fault;

  private LocalHttpOrigin(EventLoops loops, EventLoops ownedLoops) {
    this.ownedLoops = ownedLoops;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            connectionOpened();
            ch.closeFuture().addListener(f -> connectionClosed());
            ch.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_LINE_AND_HEADER_BYTES)
                .setMaxHeaderSize(MAX_LINE_AND_HEADER_BYTES)
                .setMaxChunkSize(64 * 1024)));
            ch.pipeline().addLast(new HttpServerExpectContinueHandler());
            ch.pipeline().addLast(
                new OriginConnectionHandler(LocalHttpOrigin.this, acceptedConnections.incrementAndGet()));
          }
        });
    this.serverChannel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .syncUninterruptibly().channel();
  }

  /** Starts an origin on its own single event loop. */
  public static LocalHttpOrigin start() {
    EventLoops loops = EventLoops.create("local-origin", 1);
    try {
      return new LocalHttpOrigin(loops, loops);
    } catch (RuntimeException e) {
      loops.close();
      throw e;
    }
  }

  /** Starts an origin on a group the caller owns (and closes after this origin). */
  public static LocalHttpOrigin start(EventLoops loops) {
    return new LocalHttpOrigin(loops, null);
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** {@code 127.0.0.1:PORT}, as a tunnel target. */
  public String hostAndPort() {
    return address().getAddress().getHostAddress() + ":" + port();
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
  public String url(String path) {
    return "http://" + hostAndPort() + path;
  }

  public RecordingRequests requests() {
    return recordings;
  }

  /** Shortcut for {@code requests().takeRequest(timeout)}. */
  public RecordedRequest takeRequest(Duration timeout) {
    return recordings.takeRequest(timeout);
  }

  /** Shortcut for {@code requests().requestCount()}. */
  public int requestCount() {
    return recordings.requestCount();
  }

  /** Applies {@code fault} to every following request; null goes back to routing by path. */
  public void setFault(Fault fault) {
    this.fault = fault;
  }

  /**
   * Answers requests whose raw path starts with {@code pathPrefix} with {@code handler}, ahead of the built-in
   * paths (longest prefix wins; {@code "/"} takes every path no longer prefix claims).
   */
  public void route(String pathPrefix, OriginHandler handler) {
    routes.add(pathPrefix, handler);
  }

  /** The next {@code /slow} response whose head was written, waiting up to {@code timeout}. */
  public SlowStream takeSlowStream(Duration timeout) {
    try {
      SlowStream stream = slowStreams.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (stream == null) {
        throw new AssertionError("no /slow response started within " + timeout);
      }
      return stream;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a /slow response", e);
    }
  }

  /** Connections accepted since start. */
  public long acceptedConnections() {
    return acceptedConnections.get();
  }

  /** Connections currently open. */
  public int openConnections() {
    synchronized (openLock) {
      return openConnections;
    }
  }

  /** Waits until at most {@code count} connections are open (e.g. 0 after the tunnel closed them). */
  public void awaitOpenConnectionsAtMost(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (openLock) {
      while (openConnections > count) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMillis <= 0) {
          throw new AssertionError("expected at most " + count + " open connections within " + timeout
              + ", have " + openConnections);
        }
        try {
          openLock.wait(leftMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for connections to close", e);
        }
      }
    }
  }

  private void connectionOpened() {
    synchronized (openLock) {
      openConnections++;
    }
  }

  private void connectionClosed() {
    synchronized (openLock) {
      openConnections--;
      openLock.notifyAll();
    }
  }

  RecordingRequests recordings() {
    return recordings;
  }

  Fault faultFor(HttpRequest head) {
    Fault global = fault;
    return global != null ? global : routes.faultFor(head);
  }

  Exchange exchangeFor(OriginConnectionHandler connection, HttpRequest head) {
    return routes.exchangeFor(connection, head, faultFor(head), slowStreams);
  }

  void badRequest(ChannelHandlerContext ctx, HttpRequest head) {
    ctx.writeAndFlush(OriginRoutes.badRequest(head)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (ownedLoops != null) {
      ownedLoops.close();
    }
  }
}
