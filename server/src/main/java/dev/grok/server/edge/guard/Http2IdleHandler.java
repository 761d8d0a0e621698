package dev.grok.server.edge.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle deadline of an HTTP/2 visitor connection: while it has no active stream for {@link
 * EdgeGuardConfig#idleTimeout()} it is closed (the frame codec sends GOAWAY first), counted as an {@code idle}
 * timeout. Sits on the parent channel after the {@link Http2FrameCodec}, whose connection it listens to; a PING
 * or SETTINGS frame does not count as activity, only streams do. Event-loop confined.
 */
public final class Http2IdleHandler extends ChannelInboundHandlerAdapter {
  private final EdgeGuardConfig config;
  private final EdgeGuardMetrics metrics;
  private ChannelHandlerContext ctx;
  private Http2Connection connection;
  /** Null while a stream is active or before the handler is added. */
  private ScheduledFuture<?> timer;

  public Http2IdleHandler(EdgeGuardConfig config, EdgeGuardMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
    if (codec == null) {
      return;
    }
    connection = codec.connection();
    connection.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamActive(Http2Stream stream) {
        disarm();
      }

      @Override
      public void onStreamClosed(Http2Stream stream) {
        armIfIdle();
      }
    });
    armIfIdle();
  }

  private void armIfIdle() {
    if (timer == null && connection.numActiveStreams() == 0 && ctx.channel().isActive()) {
      timer = ctx.executor().schedule(this::onTimeout, config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void onTimeout() {
    timer = null;
    if (connection.numActiveStreams() == 0 && ctx.channel().isActive()) {
      metrics.timedOut("idle");
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }
}
