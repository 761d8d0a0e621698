package dev.grok.server.edge.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Caps the control frames one HTTP/2 visitor connection may send: PING, SETTINGS, PRIORITY and frames of unknown
 * types share one budget of {@link #MAX_CONTROL_FRAMES} per {@link #WINDOW_SECONDS}-second window. Each PING and
 * SETTINGS makes us answer with an ACK, and each frame costs a decode: a peer that sends them in a loop (the
 * "ping flood" and "settings flood" of CVE-2019-9512/9515) burns CPU and output buffers without ever making a
 * request. Beyond the budget the frame is a connection error ENHANCE_YOUR_CALM: Netty answers GOAWAY and closes,
 * like its own rapid-reset limit (RST_STREAM, counted by Netty's decoder). Browsers send a handful of these frames
 * per connection; 1,000 in 10 s is far from any real client and stops a flood within milliseconds.
 *
 * <p>Confined to the connection's event loop, like the decoder that calls it. The clock is injectable for tests.
 */
final class EdgeHttp2FloodGuard extends Http2FrameListenerDecorator {
  /** Control frames accepted per window. */
  static final int MAX_CONTROL_FRAMES = 1_000;
  /** Length of one counting window. */
  static final int WINDOW_SECONDS = 10;
  /** The start of every message of this error: {@link EdgeHttp2Refusals} tells it from Netty's reset limit. */
  static final String MESSAGE = "control frame flood";

  private final LongSupplier nanoClock;
  private final int maxFrames;
  private final long windowNanos;
  /** Start of the current window (nanoClock). Loop-confined. */
  private long windowStartNanos;
  /** Control frames counted in the current window. Loop-confined. */
  private int framesInWindow;

  EdgeHttp2FloodGuard(Http2FrameListener listener) {
    this(listener, System::nanoTime, MAX_CONTROL_FRAMES, WINDOW_SECONDS);
  }

  EdgeHttp2FloodGuard(Http2FrameListener listener, LongSupplier nanoClock, int maxFrames, int windowSeconds) {
    super(listener);
    if (maxFrames < 1 || windowSeconds < 1) {
      throw new IllegalArgumentException("maxFrames: " + maxFrames + ", windowSeconds: " + windowSeconds
          + " (expected: both >= 1)");
    }
    this.nanoClock = nanoClock;
    this.maxFrames = maxFrames;
    this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
    this.windowStartNanos = nanoClock.getAsLong();
  }

  private void count(String kind) throws Http2Exception {
    long now = nanoClock.getAsLong();
    if (now - windowStartNanos >= windowNanos) {
      windowStartNanos = now;
      framesInWindow = 0;
    }
    if (++framesInWindow > maxFrames) {
      throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "%s: more than %d PING, SETTINGS, "
          + "PRIORITY or unknown frames within %d s (the last one %s)", MESSAGE, maxFrames,
          TimeUnit.NANOSECONDS.toSeconds(windowNanos), kind);
    }
  }

  @Override
  public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    count("PING");
    super.onPingRead(ctx, data);
  }

  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
    count("SETTINGS");
    super.onSettingsRead(ctx, settings);
  }

  @Override
  public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
      boolean exclusive) throws Http2Exception {
    count("PRIORITY");
    super.onPriorityRead(ctx, streamId, streamDependency, weight, exclusive);
  }

  @Override
  public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
      ByteBuf payload) throws Http2Exception {
    // Counted before it is passed on: the payload is the reader's, not ours to release.
    count("type " + (frameType & 0xff));
    super.onUnknownFrame(ctx, frameType, streamId, flags, payload);
  }
}
