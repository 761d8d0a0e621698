package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import dev.grok.server.edge.guard.Http1RequestGuard;
import dev.grok.server.edge.guard.Http2IdleHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a visitor connection into an HTTP/2 connection: {@link Http2FrameCodec} + {@link Http2MultiplexHandler},
 * each stream a child channel with the HTTP/1.1 exchange logic ({@link EdgeHttp2StreamInitializer}). Reached three
 * ways: h2c with prior knowledge and {@code Upgrade: h2c} on the HTTP port, ALPN {@code h2} on the HTTPS port.
 *
 * <p>Reads: the HTTP/1.1 pipeline reads only on demand (autoRead off). An HTTP/2 connection reads all the time
 * instead: frames go to the stream they belong to, and each stream child reads on demand (autoRead off); a
 * stream's bytes are given back to the visitor (WINDOW_UPDATE) only when its exchange has taken them, so the
 * flow-control windows bound what waits in memory: {@link #STREAM_WINDOW_BYTES} per stream, and the connection's
 * window (the protocol's default 64 KiB) for all of them together.
 */
final class EdgeHttp2 {
  private static final Logger log = LoggerFactory.getLogger(EdgeHttp2.class);

  /** Concurrent streams one visitor connection may have open: enough for browsers and load tools. */
  static final int MAX_CONCURRENT_STREAMS = 256;
  /** Per-stream receive window; the HTTP/2 default, so a stalled exchange holds at most this much. */
  static final int STREAM_WINDOW_BYTES = 64 * 1024;

  private EdgeHttp2() {}

  static Http2FrameCodec frameCodec() {
    return Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
            .initialWindowSize(STREAM_WINDOW_BYTES)
            .maxHeaderListSize(Limits.MAX_HEADER_BYTES))
        .validateHeaders(true)
        .build();
  }

  static Http2MultiplexHandler multiplexer(EdgeContext edge) {
    return new Http2MultiplexHandler(new EdgeHttp2StreamInitializer(edge));
  }

  /** Installs the HTTP/2 handlers where it stands (prior knowledge, ALPN h2), then gives its place up. */
  static final class Install extends ChannelInboundHandlerAdapter {
    private final EdgeContext edge;

    Install(EdgeContext edge) {
      this.edge = edge;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ChannelPipeline p = ctx.pipeline();
      // In this order: the multiplexer looks for the frame codec when it is added.
      p.addAfter(ctx.name(), "h2", frameCodec());
      p.addAfter("h2", "h2-idle", new Http2IdleHandler(edge.guard, edge.guardMetrics));
      p.addAfter("h2-idle", "h2-multiplex", multiplexer(edge));
      p.addAfter("h2-multiplex", "h2-sink", new Activate());
      p.remove(this);
    }
  }

  /**
   * Last handler of an HTTP/2 connection: drops the HTTP/1.1 handlers that the upgrade left behind, switches the
   * connection to continuous reads, and is the exception sink of the connection.
   */
  static final class Activate extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ChannelPipeline p = ctx.pipeline();
      for (String name : new String[] {EdgeHttpInitializer.FLUSH, "continue", "edge", Http1RequestGuard.NAME}) {
        if (p.get(name) != null) {
          p.remove(name);
        }
      }
      ctx.channel().config().setAutoRead(true);
      // HTTP/1.1 keeps a half-closed connection open to answer its last request; HTTP/2 ends with the FIN.
      ctx.channel().config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!(cause instanceof IOException)) {
        log.warn("HTTP/2 edge connection {} failed", ctx.channel().remoteAddress(), cause);
      }
      ctx.close();
    }
  }

  /** For the {@code Upgrade: h2c} path, which installs the frame codec itself. */
  static ChannelHandler[] afterUpgradeCodec(EdgeContext edge) {
    return new ChannelHandler[] {new Http2IdleHandler(edge.guard, edge.guardMetrics), multiplexer(edge),
        new Activate()};
  }
}
