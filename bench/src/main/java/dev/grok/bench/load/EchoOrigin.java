package dev.grok.bench.load;

import dev.grok.common.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;

/**
 * The local service of the WebSocket measurements: a Netty WebSocket server that accepts a handshake on every path
 * and sends every text or binary message back as it came (close frames are answered by Netty's protocol handler).
 * Run as {@code EchoOrigin [--bind ADDR] [--port N]}; prints {@code listening ADDR:PORT} once bound (port 0 picks a
 * free one) and serves until killed.
 */
public final class EchoOrigin {
  /** Largest message either way. */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private EchoOrigin() {}

  public static void main(String[] args) throws InterruptedException {
    Args a = new Args(args);
    String bind = a.string("--bind", "127.0.0.1");
    int port = a.integer("--port", 0);
    a.done();
    EventLoops loops = EventLoops.create("echo-origin", 1);
    WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/")
        .checkStartsWith(true)
        .maxFramePayloadLength(MAX_MESSAGE_BYTES)
        .handshakeTimeoutMillis(30_000)
        .build();
    Channel server = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(64 * 1024))
                .addLast(new WebSocketServerProtocolHandler(config))
                .addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES))
                .addLast(new Echo());
          }
        })
        .bind(new InetSocketAddress(bind, port)).sync().channel();
    InetSocketAddress local = (InetSocketAddress) server.localAddress();
    System.out.println("listening " + local.getAddress().getHostAddress() + ":" + local.getPort());
    System.out.flush();
    server.closeFuture().sync();
  }

  /** Writes every data message back; the frame's buffer changes owner to the write. */
  private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
    Echo() {
      super(false); // the frame goes on to the write, which releases it
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
        ctx.writeAndFlush(frame);
      } else {
        frame.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
