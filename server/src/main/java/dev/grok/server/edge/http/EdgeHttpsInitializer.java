package dev.grok.server.edge.http;

import dev.grok.server.edge.guard.Http1RequestGuard;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline of a visitor connection on the HTTPS port: TLS, then by ALPN either HTTP/2 ({@link EdgeHttp2}) or the
 * HTTP/1.1 handlers of the HTTP port (also when the visitor offers no ALPN).
 */
final class EdgeHttpsInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger log = LoggerFactory.getLogger(EdgeHttpsInitializer.class);

  private final EdgeContext edge;
  private final ChannelGroup connections;
  private final SslContext tls;

  EdgeHttpsInitializer(EdgeContext edge, ChannelGroup connections, SslContext tls) {
    this.edge = edge;
    this.connections = connections;
    this.tls = tls;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!edge.limiter.admit(ch)) {
      return; // over a connection limit: closed, nothing installed
    }
    connections.add(ch);
    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc())).addLast("alpn", new ProtocolSelector(edge));
  }

  /** Chooses the pipeline once the handshake has told the protocol. */
  private static final class ProtocolSelector extends ApplicationProtocolNegotiationHandler {
    private final EdgeContext edge;

    ProtocolSelector(EdgeContext edge) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.edge = edge;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      // The connection reads on demand (autoRead off); the handshake needs a first read, TLS asks for the rest.
      ctx.read();
      super.channelActive(ctx);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        ctx.pipeline().addAfter(ctx.name(), "h2-install", new EdgeHttp2.Install(edge));
        return;
      }
      // This selector is the last handler: the HTTP/1.1 handlers go right after it.
      ctx.pipeline().addLast(Http1RequestGuard.NAME, EdgeHttpInitializer.guard(edge));
      ctx.pipeline().addLast("http", EdgeHttpInitializer.http1Codec());
      EdgeHttpInitializer.addHttp1Handlers(ctx.pipeline(), edge);
      // The exchange handler starts reading on channelActive, which happened before it was added.
      ctx.fireChannelActive();
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
      // Scanners and clients that do not trust the certificate: routine, not worth a warning each.
      log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
