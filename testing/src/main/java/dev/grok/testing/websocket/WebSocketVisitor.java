package dev.grok.testing.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (Netty's {@link WebSocketClientHandshaker}, RFC 6455) playing the visitor: it connects to a
 * given port and sends the Host, path and query of its URI, so {@code ws://NAME.localhost:PORT/x?y} reaches a grok
 * edge on 127.0.0.1 without DNS. Received messages are copied out of Netty's buffers as they arrive ({@link
 * #take}); close frames and the end of the connection are recorded. Thread-safe.
 */
public final class WebSocketVisitor implements AutoCloseable {
  /** One received message. */
  public record Message(boolean text, byte[] bytes) {
    public String asText() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final Channel channel;
  private final VisitorHandler handler;

  private WebSocketVisitor(Channel channel, VisitorHandler handler) {
    this.channel = channel;
    this.handler = handler;
  }

  /**
   * Connects to {@code 127.0.0.1:port} and starts the handshake for {@code uri}; the future completes with the
   * visitor when the 101 was verified, or fails with the handshake's error (e.g. a non-101 answer).
   */
  public static CompletableFuture<WebSocketVisitor> connect(EventLoopGroup group,
      Class<? extends SocketChannel> channelType, int port, URI uri) {
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
        WebSocketVersion.V13, null, false, null, WebSocketEchoOrigin.MAX_MESSAGE_BYTES);
    VisitorHandler handler = new VisitorHandler(handshaker);
    CompletableFuture<WebSocketVisitor> result = new CompletableFuture<>();
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("http", new HttpClientCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                .addLast("visitor", handler);
          }
        })
        .connect(new InetSocketAddress("127.0.0.1", port));
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(f.cause());
      }
    });
    handler.handshake.whenComplete((ok, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
        connect.channel().close();
      } else {
        result.complete(new WebSocketVisitor(connect.channel(), handler));
      }
    });
    return result;
  }

  /** Like {@link #connect(EventLoopGroup, Class, int, URI)}, waiting up to {@code timeout}. */
  public static WebSocketVisitor open(EventLoopGroup group, Class<? extends SocketChannel> channelType, int port,
      URI uri, Duration timeout) throws Exception {
    return connect(group, channelType, port, uri).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void sendText(String text) {
    send(new TextWebSocketFrame(text));
  }

  public void sendBinary(byte[] bytes) {
    send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
  }

  /** Queues {@code frame} and flushes; does not wait for the write. */
  public void send(WebSocketFrame frame) {
    channel.writeAndFlush(frame);
  }

  /** The next text or binary message, waiting up to {@code timeout}. */
  public Message take(Duration timeout) {
    try {
      Message m = handler.messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no message within " + timeout + " (connection open: " + channel.isActive() + ")");
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a message", e);
    }
  }

  /** Sends a close frame (1000, {@code reason}); the origin answers with its own and ends the connection. */
  public void closeWebSocket(String reason) {
    channel.writeAndFlush(new CloseWebSocketFrame(1000, reason));
  }

  /** Sends a TCP FIN without any close frame; the visitor still reads. */
  public void shutdownOutput() {
    ((DuplexChannel) channel).shutdownOutput().syncUninterruptibly();
  }

  /** The status code of the close frame the peer sent, waiting up to {@code timeout}. */
  public int awaitCloseFrame(Duration timeout) throws Exception {
    return handler.closeStatus.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the connection is closed (by the peer or by us); fails after {@code timeout}. */
  public void awaitClosed(Duration timeout) {
    if (!channel.closeFuture().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the visitor's connection is still open after " + timeout);
    }
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** Closes the TCP connection at once. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Handshake, then frames: messages are copied and released here, on the channel's loop. */
  private static final class VisitorHandler extends SimpleChannelInboundHandler<Object> {
    private final WebSocketClientHandshaker handshaker;
    final CompletableFuture<Void> handshake = new CompletableFuture<>();
    final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

    VisitorHandler(WebSocketClientHandshaker handshaker) {
      this.handshaker = handshaker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      handshaker.handshake(ctx.channel()).addListener(f -> {
        if (!f.isSuccess()) {
          handshake.completeExceptionally(f.cause());
        }
      });
      ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse response) {
        try {
          handshaker.finishHandshake(ctx.channel(), response);
          // Messages may be fragmented by the peer; the test sees whole messages.
          ctx.pipeline().addBefore(ctx.name(), "ws-aggregator",
              new WebSocketFrameAggregator(WebSocketEchoOrigin.MAX_MESSAGE_BYTES));
          handshake.complete(null);
        } catch (RuntimeException e) {
          handshake.completeExceptionally(e);
        }
      } else if (msg instanceof TextWebSocketFrame text) {
        messages.add(new Message(true, ByteBufUtil.getBytes(text.content())));
      } else if (msg instanceof BinaryWebSocketFrame binary) {
        messages.add(new Message(false, ByteBufUtil.getBytes(binary.content())));
      } else if (msg instanceof CloseWebSocketFrame close) {
        closeStatus.complete(close.statusCode());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      handshake.completeExceptionally(new IllegalStateException("connection closed during the handshake"));
      closeStatus.completeExceptionally(new IllegalStateException("connection closed without a close frame"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      handshake.completeExceptionally(cause);
      ctx.close();
    }
  }
}
