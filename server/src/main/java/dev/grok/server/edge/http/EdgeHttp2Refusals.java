package dev.grok.server.edge.http;

import dev.grok.server.metrics.Rejections;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/**
 * Counts the HTTP/2 refusals that Netty's codec answers by itself, as {@code grok_edge_rejected_total{reason}}:
 * it watches the frames the codec writes (the codec's frame-logger hook, the one place that sees them all) and
 * logs nothing. Reasons:
 * <ul>
 *   <li>{@code h2_malformed}: RST_STREAM PROTOCOL_ERROR: a request with connection-specific headers, {@code te}
 *       other than {@code trailers}, bad or missing pseudo-headers, or a content-length the DATA disagrees with;
 *   <li>{@code h2_refused_stream}: RST_STREAM REFUSED_STREAM: more than the concurrent streams allowed;
 *   <li>{@code h2_header_list_too_large}: the codec's own 431 for a header list above the limit;
 *   <li>{@code h2_rapid_reset}: GOAWAY ENHANCE_YOUR_CALM for too many RST_STREAM (CVE-2023-44487);
 *   <li>{@code h2_flood}: GOAWAY ENHANCE_YOUR_CALM for other floods ({@link EdgeHttp2FloodGuard}, empty DATA
 *       frames, CONTINUATION frames);
 *   <li>{@code h2_protocol_error}: any other GOAWAY with an error code (a broken or hostile peer).
 * </ul>
 * Stateless: one instance serves every connection of an edge.
 */
final class EdgeHttp2Refusals extends Http2FrameLogger {
  private final Rejections rejections;

  EdgeHttp2Refusals(Rejections rejections) {
    super(LogLevel.TRACE, EdgeHttp2Refusals.class);
    this.rejections = rejections;
  }

  /** Never logs: this is a counter, not a logger. */
  @Override
  public boolean isEnabled() {
    return false;
  }

  @Override
  public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    if (direction != Direction.OUTBOUND) {
      return;
    }
    if (errorCode == Http2Error.PROTOCOL_ERROR.code()) {
      rejections.edge("h2_malformed");
    } else if (errorCode == Http2Error.REFUSED_STREAM.code()) {
      rejections.edge("h2_refused_stream");
    }
  }

  @Override
  public void logGoAway(Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode,
      ByteBuf debugData) {
    if (direction != Direction.OUTBOUND || errorCode == Http2Error.NO_ERROR.code()) {
      return;
    }
    if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      // Rare: reading the debug text costs nothing worth saving here.
      String why = debugData.toString(debugData.readerIndex(), debugData.readableBytes(), StandardCharsets.UTF_8);
      rejections.edge(why.contains("RST") ? "h2_rapid_reset" : "h2_flood");
    } else {
      rejections.edge("h2_protocol_error");
    }
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endStream) {
    // The codec's own answer to an oversized header list is exactly {:status 431}; a local service's 431 carries
    // more headers and is no refusal of ours.
    if (direction == Direction.OUTBOUND && endStream && headers.size() == 1
        && "431".contentEquals(String.valueOf(headers.status()))) {
      rejections.edge("h2_header_list_too_large");
    }
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
    logHeaders(direction, ctx, streamId, headers, padding, endStream);
  }

  // Everything else: nothing to count.

  @Override
  public void logData(Direction direction, ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
      boolean endStream) {}

  @Override
  public void logPriority(Direction direction, ChannelHandlerContext ctx, int streamId, int streamDependency,
      short weight, boolean exclusive) {}

  @Override
  public void logSettingsAck(Direction direction, ChannelHandlerContext ctx) {}

  @Override
  public void logSettings(Direction direction, ChannelHandlerContext ctx, Http2Settings settings) {}

  @Override
  public void logPing(Direction direction, ChannelHandlerContext ctx, long data) {}

  @Override
  public void logPingAck(Direction direction, ChannelHandlerContext ctx, long data) {}

  @Override
  public void logPushPromise(Direction direction, ChannelHandlerContext ctx, int streamId, int promisedStreamId,
      Http2Headers headers, int padding) {}

  @Override
  public void logWindowsUpdate(Direction direction, ChannelHandlerContext ctx, int streamId,
      int windowSizeIncrement) {}

  @Override
  public void logUnknownFrame(Direction direction, ChannelHandlerContext ctx, byte frameType, int streamId,
      Http2Flags flags, ByteBuf data) {}
}
