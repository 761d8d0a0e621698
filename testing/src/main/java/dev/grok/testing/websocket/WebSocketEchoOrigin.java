package dev.grok.testing.websocket;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket echo server on {@code 127.0.0.1:0} standing in for the developer's local service, built on Netty's
 * {@link WebSocketServerProtocolHandler}: every path takes a handshake, every text or binary message (up to
 * {@link #MAX_MESSAGE_BYTES}) comes back as it was sent, close frames are answered and end the connection.
 *
 * <p>Options, changeable between tests: {@link #setGreeting} sends a text message in the same write as the 101, so
 * that it reaches the peer in the same TCP segment; {@link #setRefuseUpgrades} answers every upgrade with 403 and
 * {@link #REFUSAL_BODY}. Every handshake request, refused or not, becomes an {@link OriginSession} in arrival order
 * ({@link #takeSession}). Thread-safe; {@link #close()} closes every connection.
 */
public final class WebSocketEchoOrigin implements AutoCloseable {
  /** Largest message either way: a 1 MiB message with room. */
  public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
  /** Body of the 403 that answers an upgrade while {@link #setRefuseUpgrades refusing}. */
  public static final String REFUSAL_BODY = "upgrade refused by origin\n";

  private static final int MAX_HANDSHAKE_BYTES = 64 * 1024;

  /** The group this origin created and closes, or null when the caller lent one. */
  private final EventLoops ownedLoops;
  private final Channel serverChannel;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final BlockingQueue<OriginSession> sessions = new LinkedBlockingQueue<>();
  /** Text sent right behind the 101; null for none. */
  private volatile String greeting;
  private volatile boolean refuseUpgrades;

  private WebSocketEchoOrigin(EventLoops loops, EventLoops ownedLoops) {
    this.ownedLoops = ownedLoops;
    WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/")
        .checkStartsWith(true)
        .maxFramePayloadLength(MAX_MESSAGE_BYTES)
        .handshakeTimeoutMillis(30_000)
        .build();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .option(ChannelOption.SO_BACKLOG, 2048)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES))
                .addLast(new OriginHandshakeHandler(WebSocketEchoOrigin.this))
                .addLast(new WebSocketServerProtocolHandler(config))
                .addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES))
                .addLast(new OriginEchoHandler());
          }
        });
    this.serverChannel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .syncUninterruptibly().channel();
  }

  /** Starts an origin on its own single event loop. */
  public static WebSocketEchoOrigin start() {
    EventLoops loops = EventLoops.create("websocket-origin", 1);
    try {
      return new WebSocketEchoOrigin(loops, loops);
    } catch (RuntimeException e) {
      loops.close();
      throw e;
    }
  }

  /** {@code 127.0.0.1:PORT}, as a tunnel target. */
  public String hostAndPort() {
    InetSocketAddress a = (InetSocketAddress) serverChannel.localAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** Sends {@code text} right behind every following 101 (in the same write); null for no greeting. */
  public void setGreeting(String text) {
    this.greeting = text;
  }

  /** While true, every upgrade is answered 403 with {@link #REFUSAL_BODY} and the connection stays HTTP. */
  public void setRefuseUpgrades(boolean refuse) {
    this.refuseUpgrades = refuse;
  }

  String greeting() {
    return greeting;
  }

  boolean refuseUpgrades() {
    return refuseUpgrades;
  }

  void sessionStarted(OriginSession session) {
    sessions.add(session);
  }

  /** The next handshake request that arrived (in order), waiting up to {@code timeout}. */
  public OriginSession takeSession(Duration timeout) {
    try {
      OriginSession s = sessions.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (s == null) {
        throw new AssertionError("no WebSocket handshake reached the origin within " + timeout);
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a handshake", e);
    }
  }

  /** Handshakes not taken yet. */
  public int pendingSessions() {
    return sessions.size();
  }

  /** Forgets handshakes not taken (between tests). */
  public void clearSessions() {
    sessions.clear();
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
