package dev.grok.server.edge.guard;

import dev.grok.server.edge.guard.EdgeRefusal.Refused;
import dev.grok.common.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sits in front of Netty's HTTP/1.1 decoder on a visitor connection and lets only valid framing through (the
 * checks are {@link Http1Framer}'s). At the first violation nothing more passes: an {@link EdgeRefusal} goes down
 * the pipeline behind what passed before, the connection's handler answers it in order (400, 408, 414, 431, 501,
 * 505) and closes, and every later byte is dropped. A half-parsed request is never forwarded as a whole one.
 *
 * <p>Deadlines, all on the channel's event loop (an {@code EmbeddedChannel} with a frozen clock drives them): the
 * <em>header</em> deadline runs from the connection's start, and from the first byte of each later head, until the
 * head is complete (408; a visitor trickling its head byte by byte is cut by the whole head's deadline, not per
 * byte); the <em>body</em> deadline runs while the connection wants to read a request body (a {@code read()} is
 * pending) and no byte comes (408, or a close once the response has begun): a connection held back by
 * backpressure issues no read, so it is never cut for that; the <em>idle</em> deadline runs while no exchange is
 * open and no byte of a next head has come (closed without an answer). Each close is counted by kind.
 *
 * <p>An upgraded connection (WebSocket, h2c) carries no HTTP/1.1 any more: {@link #removeFrom} takes the guard out
 * with its deadlines; bytes behind the upgrade request in the same read go on raw.
 */
public final class Http1RequestGuard extends ChannelDuplexHandler implements Http1Framer.Output {
  /** Name of this handler in a visitor pipeline. */
  public static final String NAME = "guard";

  private final EdgeGuardConfig config;
  private final EdgeGuardMetrics metrics;
  private final Http1Framer framer = new Http1Framer(this);
  /** Set in handlerAdded; event-loop confined like everything here. */
  private ChannelHandlerContext ctx;
  /** A refusal went down the pipeline: every later byte is dropped. */
  private boolean failed;
  /** Requests passed whose exchange has not ended ({@link #exchangeEnded()}). */
  private int exchangesOpen;
  /** A read() went out and no byte came since. */
  private boolean readPending;
  /** Something went down the pipeline during the current read cycle. */
  private boolean firedThisCycle;
  private boolean started;
  /** Null when not armed. */
  private ScheduledFuture<?> headerTimer;
  private ScheduledFuture<?> bodyTimer;
  private ScheduledFuture<?> idleTimer;

  public Http1RequestGuard(EdgeGuardConfig config, EdgeGuardMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * The settings of the HTTP/1.1 decoder behind the guard: Netty's strict options (line endings, header
   * validation, no duplicate Content-Length, RFC 9112 Transfer-Encoding) as a second line of defence, with size
   * limits twice the guard's, so that the guard, which enforces the real limits, always speaks first.
   */
  public static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(2 * Limits.MAX_INITIAL_LINE_BYTES)
        .setMaxHeaderSize(2 * Limits.MAX_HEADER_BYTES)
        .setMaxChunkSize(Limits.MAX_CHUNK_BYTES)
        .setStrictLineParsing(true)
        .setValidateHeaders(true)
        .setAllowDuplicateContentLengths(false)
        .setUseRfc9112TransferEncoding(true);
  }

  /** Takes the guard out of {@code pipeline} (after an upgrade request), if it is there. */
  public static void removeFrom(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) instanceof Http1RequestGuard) {
      pipeline.remove(NAME);
    }
  }

  /** The connection's handler finished an exchange; with none left open, the idle deadline starts. */
  public void exchangeEnded() {
    if (exchangesOpen > 0) {
      exchangesOpen--;
    }
    if (!failed && exchangesOpen == 0 && framer.betweenRequests() && idleTimer == null && started
        && !ctx.isRemoved()) {
      cancel(headerTimer);
      headerTimer = null;
      idleTimer = schedule(this::onIdleTimeout, config.idleTimeout().toNanos());
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start();
    ctx.fireChannelActive();
  }

  private void start() {
    if (!started) {
      started = true;
      headerTimer = schedule(this::onHeaderTimeout, config.headerTimeout().toNanos());
    }
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    readPending = true;
    if (bodyTimer == null && !failed && framer.inBody()) {
      bodyTimer = schedule(this::onBodyTimeout, config.bodyTimeout().toNanos());
    }
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    readPending = false;
    cancel(bodyTimer);
    bodyTimer = null;
    try {
      while (in.isReadable() && !failed && !ctx.isRemoved()) {
        framer.step(in);
      }
      if (in.isReadable() && ctx.isRemoved()) {
        ctx.fireChannelRead(in.retain()); // upgraded meanwhile: the rest is the new protocol's
      }
    } catch (Refused r) {
      refuse(r.refusal);
    } finally {
      in.release();
    }
  }

  // ---- what the framer passes ----

  @Override
  public void emit(ByteBuf bytes) {
    firedThisCycle = true;
    ctx.fireChannelRead(bytes);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Like ByteToMessageDecoder: a read cycle that passed nothing on (half a head) would leave a connection that
    // reads on demand waiting for a demand that never comes; ask for the rest here.
    if (!firedThisCycle && !failed && !ctx.isRemoved() && !ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
    firedThisCycle = false;
    ctx.fireChannelReadComplete();
  }

  @Override
  public void headStarted() {
    cancel(idleTimer); // the first byte of a head: the idle deadline gives way to the header deadline
    idleTimer = null;
    if (headerTimer == null) {
      headerTimer = schedule(this::onHeaderTimeout, config.headerTimeout().toNanos());
    }
  }

  @Override
  public void headCompleted() {
    cancel(headerTimer);
    headerTimer = null;
    exchangesOpen++;
  }

  // ---- deadlines ----

  private void onHeaderTimeout() {
    headerTimer = null;
    if (!failed && framer.state() == Http1Framer.State.HEAD && !ctx.isRemoved()) {
      metrics.timedOut("header");
      refuse(new EdgeRefusal(408, "header_timeout", "The request head did not arrive within "
          + config.headerTimeout().toSeconds() + " s."));
      ctx.fireChannelReadComplete(); // outside a read: completes the cycle so that the answer is flushed
    }
  }

  private void onBodyTimeout() {
    bodyTimer = null;
    if (!failed && framer.inBody() && readPending && !ctx.isRemoved()) {
      metrics.timedOut("body");
      refuse(new EdgeRefusal(408, "body_timeout", "The request body paused for more than "
          + config.bodyTimeout().toSeconds() + " s."));
      ctx.fireChannelReadComplete();
    }
  }

  private void onIdleTimeout() {
    idleTimer = null;
    if (!failed && exchangesOpen == 0 && framer.betweenRequests() && !ctx.isRemoved()) {
      metrics.timedOut("idle");
      failed = true;
      ctx.close();
    }
  }

  private void refuse(EdgeRefusal refusal) {
    metrics.rejected(refusal.reason());
    failed = true;
    firedThisCycle = true;
    cancelTimers();
    ctx.fireChannelRead(refusal);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimers();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimers();
  }

  private void cancelTimers() {
    cancel(headerTimer);
    cancel(bodyTimer);
    cancel(idleTimer);
    headerTimer = null;
    bodyTimer = null;
    idleTimer = null;
  }

  private ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
