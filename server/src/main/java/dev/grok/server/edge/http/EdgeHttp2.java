package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import dev.grok.server.edge.guard.Http1RequestGuard;
import dev.grok.server.edge.guard.Http2IdleHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2Exception;
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

  /**
   * Concurrent streams one visitor connection may have open (SETTINGS_MAX_CONCURRENT_STREAMS): enough for browsers
   * (which open at most ~100) and load tools; a stream beyond it is refused with RST_STREAM REFUSED_STREAM.
   */
  static final int MAX_CONCURRENT_STREAMS = 256;
  /** Per-stream receive window; the HTTP/2 default, so a stalled exchange holds at most this much. */
  static final int STREAM_WINDOW_BYTES = 64 * 1024;
  /**
   * Largest header list of a request (SETTINGS_MAX_HEADER_LIST_SIZE, counted as HPACK does: name + value + 32 per
   * field), the same bound as an HTTP/1.1 head; beyond it the codec answers 431 (or GOAWAY when far beyond).
   */
  static final int MAX_HEADER_LIST_BYTES = Limits.MAX_HEADER_BYTES;
  /**
   * Rapid reset (CVE-2023-44487): RST_STREAM frames a visitor may send per {@link #RESET_WINDOW_SECONDS} before
   * the connection ends with GOAWAY ENHANCE_YOUR_CALM. A browser cancels a stream when a page navigates away or a
   * video seeks: far below this. The same bound applies to the resets the edge sends (refused streams).
   */
  static final int MAX_RESETS_PER_WINDOW = 200;
  static final int RESET_WINDOW_SECONDS = 30;
  /** Control frames (PING/SETTINGS ACKs, resets) queued for a visitor that does not read, before it is cut. */
  static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
  /** Empty DATA frames without END_STREAM in a row (no use but to burn CPU) before GOAWAY. */
  static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;
  /** Tiny CONTINUATION frames in a row (the 2024 "CONTINUATION flood") before GOAWAY. */
  static final int MAX_SMALL_CONTINUATION_FRAMES = 16;

  private EdgeHttp2() {}

  /**
   * The HTTP/2 codec of a visitor connection with every limit of this class: Netty validates each request's
   * headers (connection-specific headers, {@code te} other than {@code trailers}, pseudo-headers: unknown,
   * repeated, after regular ones, or missing) and its content-length against the DATA received, and resets the
   * stream (PROTOCOL_ERROR) before the exchange sees what disagrees; the {@link EdgeHttp2FloodGuard} caps control
   * frames; {@link EdgeHttp2Refusals} counts what was refused.
   */
  static Http2FrameCodec frameCodec(EdgeContext edge) {
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
            .initialWindowSize(STREAM_WINDOW_BYTES)
            .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
        .validateHeaders(true)
        .validateRequiredPseudoHeaders(true)
        .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
        .encoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
        .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
        .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA_FRAMES)
        .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES)
        .frameLogger(new EdgeHttp2Refusals(edge.rejections))
        .build();
    // The decoder's listener is the codec's own (Netty's reset and empty-frame limits wrap it, and re-wrap what
    // is set here): the flood guard goes between them and the codec.
    codec.decoder().frameListener(new EdgeHttp2FloodGuard(codec.decoder().frameListener()));
    // SETTINGS apply to the peer only once it acknowledged them; a visitor that never does would otherwise open
    // streams without bound. The cap holds from the first frame instead.
    codec.connection().remote().maxActiveStreams(MAX_CONCURRENT_STREAMS);
    return codec;
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
      p.addAfter(ctx.name(), "h2", frameCodec(edge));
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
      if (cause instanceof Http2Exception) {
        // The codec tells the pipeline of a connection error before it answers it: closing here would send
        // GOAWAY NO_ERROR first and hide the real error code (ENHANCE_YOUR_CALM for a flood). The codec sends
        // its GOAWAY and closes by itself; refusals are counted by EdgeHttp2Refusals.
        log.debug("HTTP/2 edge connection {} refused: {}", ctx.channel().remoteAddress(), cause.getMessage());
        return;
      }
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
