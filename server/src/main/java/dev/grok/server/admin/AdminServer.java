package dev.grok.server.admin;

import dev.grok.common.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The admin listener. {@code GET /health} answers 200 {@code {"status":"ok"}} once every listener is up (503
 * before). Requests here are small and rare, so they are aggregated.
 */
public final class AdminServer implements AutoCloseable {
  private final Channel listener;

  private AdminServer(Channel listener) {
    this.listener = listener;
  }

  /** {@code ready} says whether all listeners are up. */
  public static AdminServer start(EventLoops loops, String bind, int port, BooleanSupplier ready)
      throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                new AdminHandler(ready));
          }
        });
    return new AdminServer(b.bind(bind, port).sync().channel());
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }

  private static final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final BooleanSupplier ready;

    AdminHandler(BooleanSupplier ready) {
      this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String path = req.uri().split("\\?", 2)[0];
      FullHttpResponse res;
      if (path.equals("/health")) {
        boolean up = ready.getAsBoolean();
        res = json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            up ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}");
      } else {
        res = json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\",\"path\":\"" + path.replace("\"", "")
            + "\"}");
      }
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(res, keepAlive);
      var f = ctx.writeAndFlush(res);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
      byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
          Unpooled.wrappedBuffer(bytes));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
      return res;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
