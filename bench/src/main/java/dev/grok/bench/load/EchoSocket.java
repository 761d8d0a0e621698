package dev.grok.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket to the echo service through the edge (Netty's RFC 6455 client): the URI gives the Host header and the
 * path, the connection goes to a given address (so {@code ws://NAME.localhost:PORT/} needs no DNS), optionally from
 * a given local address (several 127.0.0.x sources spread 10,000 connections over more ephemeral ports). {@link
 * #echo} sends a text message and checks that the same text comes back; one echo is in flight at a time, the next
 * wait in order. State is confined to the channel's event loop.
 */
final class EchoSocket extends SimpleChannelInboundHandler<WebSocketFrame> {
  /** An echo not back after this fails, and the socket is closed. */
  static final long ECHO_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Told the outcome of one echo: {@code failure} is null when the text came back unchanged. */
  interface Outcome {
    void done(long intendedNanos, String failure);
  }

  private record Pending(String text, long intendedNanos, Outcome outcome) {}

  private final CompletableFuture<EchoSocket> opened = new CompletableFuture<>();
  /** Set in initChannel, never null after. */
  private Channel channel;
  // Owned by the channel's loop.
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private Pending inFlight;
  private ScheduledFuture<?> timeout;

  private EchoSocket() {}

  /** Connects and completes the handshake; the future fails with the reason when either does not succeed. */
  static CompletableFuture<EchoSocket> open(EventLoopGroup group, Class<? extends SocketChannel> channelType,
      InetSocketAddress edge, InetSocketAddress localOrNull, URI uri) {
    EchoSocket socket = new EchoSocket();
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .maxFramePayloadLength(EchoOrigin.MAX_MESSAGE_BYTES)
        .handshakeTimeoutMillis(30_000)
        .build();
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            socket.channel = ch;
            ch.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(64 * 1024))
                .addLast(new WebSocketClientProtocolHandler(config))
                .addLast(new WebSocketFrameAggregator(EchoOrigin.MAX_MESSAGE_BYTES))
                .addLast(socket);
          }
        });
    ChannelFuture f = localOrNull == null ? b.connect(edge) : b.connect(edge, localOrNull);
    f.addListener((ChannelFuture c) -> {
      if (!c.isSuccess()) {
        socket.opened.completeExceptionally(c.cause());
      }
    });
    return socket.opened;
  }

  /** Sends {@code text} once the echoes before it are back; {@code outcome} is told on the socket's loop. */
  void echo(String text, long intendedNanos, Outcome outcome) {
    channel.eventLoop().execute(() -> {
      queue.addLast(new Pending(text, intendedNanos, outcome));
      next();
    });
  }

  boolean isOpen() {
    return channel.isActive();
  }

  Channel channel() {
    return channel;
  }

  private void next() {
    if (inFlight != null || queue.isEmpty()) {
      return;
    }
    if (!channel.isActive()) {
      failAll("the WebSocket was closed");
      return;
    }
    inFlight = queue.pollFirst();
    timeout = channel.eventLoop().schedule(() -> {
      fail("no echo within " + TimeUnit.NANOSECONDS.toSeconds(ECHO_TIMEOUT_NANOS) + " s");
      channel.close();
    }, ECHO_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
    channel.writeAndFlush(new TextWebSocketFrame(inFlight.text())).addListener(f -> {
      if (!f.isSuccess()) {
        fail("write failed: " + f.cause());
      }
    });
  }

  private void fail(String why) {
    Pending p = inFlight;
    if (p == null) {
      return;
    }
    inFlight = null;
    timeout.cancel(false);
    p.outcome().done(p.intendedNanos(), why);
    next();
  }

  private void failAll(String why) {
    fail(why);
    Pending p;
    while ((p = queue.pollFirst()) != null) {
      p.outcome().done(p.intendedNanos(), why);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      opened.complete(this);
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      opened.completeExceptionally(new IllegalStateException("handshake timed out"));
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    Pending p = inFlight;
    if (!(frame instanceof TextWebSocketFrame text) || p == null) {
      return; // not an echo of ours: nothing waits for it
    }
    String got = text.text();
    inFlight = null;
    timeout.cancel(false);
    p.outcome().done(p.intendedNanos(), got.equals(p.text()) ? null
        : "echo differs: sent " + p.text().length() + " chars, got " + got.length());
    next();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    opened.completeExceptionally(new IllegalStateException("connection closed before the handshake completed"));
    failAll("the WebSocket was closed");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    opened.completeExceptionally(cause);
    ctx.close();
  }
}
