package dev.grok.client;

import dev.grok.common.EventLoops;
import dev.grok.testing.Await;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The local service of the tests: a small Netty HTTP/1.1 server on 127.0.0.1 that records every request (method,
 * raw target, headers in order, body, client port) and answers through a replaceable {@link Responder}; the
 * default echoes the body with status 200.
 */
final class RecordingOrigin implements AutoCloseable {
  /** A request as the origin received it. */
  record Recorded(String method, String uri, List<Map.Entry<String, String>> headers, byte[] body,
      int clientPort) {
    String header(String name) {
      return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }

    List<String> headers(String name) {
      return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }
  }

  /** Answers one request; called on the origin's event loop, must not block. */
  interface Responder {
    void respond(Recorded request, ChannelHandlerContext ctx);
  }

  static final Responder ECHO = (req, ctx) -> {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(req.body()));
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, req.body().length);
    r.headers().add("X-Method", req.method());
    ctx.writeAndFlush(r);
  };

  /**
   * Answers nothing until {@code n} requests are in, then echoes them all: the {@code n} exchanges are concurrent
   * for sure. The origin has one event loop, so the list needs no lock.
   */
  static Responder echoOnceAllArrived(int n) {
    List<Runnable> held = new ArrayList<>();
    return (req, ctx) -> {
      held.add(() -> ECHO.respond(req, ctx));
      if (held.size() == n) {
        held.forEach(Runnable::run);
      }
    };
  }

  private final EventLoops loops = EventLoops.create("recording-origin", 1);
  private final Channel server;
  final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  /** Client ports of accepted connections, in order. */
  final BlockingQueue<Integer> connections = new LinkedBlockingQueue<>();
  /** Client ports of connections that closed, in order. */
  final BlockingQueue<Integer> closedConnections = new LinkedBlockingQueue<>();
  volatile Responder responder = ECHO;

  RecordingOrigin() throws InterruptedException {
    this(null);
  }

  /** With {@code tls} non-null the origin speaks HTTPS. */
  RecordingOrigin(SslContext tls) throws InterruptedException {
    server = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            int clientPort = ((InetSocketAddress) ch.remoteAddress()).getPort();
            connections.add(clientPort);
            ch.closeFuture().addListener(f -> closedConnections.add(clientPort));
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new HttpServerCodec(), new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    // The headers as sent, before the aggregator rewrites the framing ones.
                    if (msg instanceof HttpRequest req) {
                      headers.clear();
                      req.headers().iteratorAsString().forEachRemaining(e -> headers.add(Map.entry(e.getKey(),
                          e.getValue())));
                    }
                    ctx.fireChannelRead(msg);
                  }
                }, new HttpObjectAggregator(64 * 1024 * 1024), new ChunkedWriteHandler(),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    Recorded r = new Recorded(req.method().name(), req.uri(), List.copyOf(headers),
                        ByteBufUtil.getBytes(req.content()),
                        ((InetSocketAddress) ctx.channel().remoteAddress()).getPort());
                    requests.add(r);
                    responder.respond(r, ctx);
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  Recorded nextRequest(Duration timeout) throws InterruptedException {
    return Await.poll(requests, timeout, "request at the origin");
  }

  int nextConnection(Duration timeout) throws InterruptedException {
    return Await.poll(connections, timeout, "connection to the origin");
  }

  int nextClosedConnection(Duration timeout) throws InterruptedException {
    return Await.poll(closedConnections, timeout, "closed connection at the origin");
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    loops.close();
  }
}
