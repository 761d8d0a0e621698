package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import dev.grok.server.edge.guard.Http1RequestGuard;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AsciiString;

/**
 * Pipeline of a visitor connection on the HTTP port: HTTP/1.1 codec (limits give 414/431), 100-continue answered at
 * the edge, then the handler, which takes decoded messages one at a time on demand. A connection that opens with
 * the HTTP/2 preface (h2c prior knowledge) or asks for {@code Upgrade: h2c} becomes an HTTP/2 connection
 * ({@link EdgeHttp2}); every other {@code Upgrade} (e.g. WebSocket) passes through untouched.
 */
final class EdgeHttpInitializer extends ChannelInitializer<SocketChannel> {
  private final EdgeContext edge;
  private final ChannelGroup connections;

  EdgeHttpInitializer(EdgeContext edge, ChannelGroup connections) {
    this.edge = edge;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!edge.limiter.admit(ch)) {
      return; // over a connection limit: answered and closed, nothing installed
    }
    connections.add(ch);
    HttpServerCodec codec = http1Codec();
    HttpServerUpgradeHandler upgrade = new H2cOnlyUpgradeHandler(codec, edge);
    ch.pipeline()
        .addLast("h2c", new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new EdgeHttp2.Install(edge)));
    // Between the h2c preface check and the codec it installed: only valid HTTP/1.1 framing reaches the codec.
    ch.pipeline().addAfter("h2c", Http1RequestGuard.NAME, guard(edge));
    addHttp1Handlers(ch.pipeline(), edge);
  }

  static Http1RequestGuard guard(EdgeContext edge) {
    return new Http1RequestGuard(edge.guard, edge.guardMetrics);
  }

  /** The HTTP/1.1 codec, strict as Netty allows, behind {@link Http1RequestGuard}, which checks more first. */
  static HttpServerCodec http1Codec() {
    return new HttpServerCodec(Http1RequestGuard.decoderConfig());
  }

  /**
   * The handlers after the codec: shared by the HTTP port and HTTP/1.1 on the HTTPS port. The flush consolidator
   * defers a flush asked for outside a read of this connection to the end of the loop's current round: the
   * response head and the first body frame, which usually arrive in one read of the tunnel connection, leave in
   * one write (one syscall) instead of two.
   */
  static void addHttp1Handlers(ChannelPipeline p, EdgeContext edge) {
    p.addLast(FLUSH, new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES,
            true))
        .addLast("continue", new HttpServerExpectContinueHandler())
        .addLast("edge", new EdgeHttpHandler(edge));
  }

  /** Name of the flush consolidator, which an HTTP/2 connection removes with the other HTTP/1.1 handlers. */
  static final String FLUSH = "flush";

  /**
   * Takes over only requests that ask for h2c (and carry HTTP2-Settings, as RFC 7540 requires); the request of an
   * upgrade is aggregated up to {@link Limits#MAX_CHUNK_BYTES} and replayed as stream 1 of the new connection.
   */
  private static final class H2cOnlyUpgradeHandler extends HttpServerUpgradeHandler {
    H2cOnlyUpgradeHandler(HttpServerCodec codec, EdgeContext edge) {
      super(codec, protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
          ? new Http2ServerUpgradeCodec(EdgeHttp2.frameCodec(edge), EdgeHttp2.afterUpgradeCodec(edge))
          : null, Limits.MAX_CHUNK_BYTES);
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
      String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
      return upgrade != null && req.headers().contains(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER)
          && AsciiString.containsIgnoreCase(upgrade, Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME);
    }
  }
}
