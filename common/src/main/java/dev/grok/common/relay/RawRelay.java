package dev.grok.common.relay;

import dev.grok.common.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays raw bytes between one socket and one tunnel stream ({@link RelayTunnel}); the last handler of the socket's
 * pipeline. The shape is Netty's HexDumpProxy pair, with a gRPC stream as the other socket:
 *
 * <ul>
 *   <li><b>Backpressure</b>: the channel runs with autoRead off and is read with an explicit {@code read()} only
 *       while the stream {@link RelayTunnel#isReady()} (else at the next {@link #onTunnelReady()}): one socket read
 *       is at most one Data frame in gRPC's queue beyond its ready threshold. Tunnel frames are requested
 *       ({@link #PREFETCH_FRAMES} ahead) only while the channel is writable (else at its writability change).
 *   <li><b>Half-close</b>: the channel's FIN (an input shutdown; half-closure is allowed) goes to the tunnel as
 *       {@code end_of_body}; the tunnel's {@code end_of_body} becomes our half-close once everything before it was
 *       written: over TLS first close_notify ({@link SslHandler#closeOutbound()}), then the FIN
 *       ({@code shutdownOutput}). When both directions ended the tunnel is {@link RelayTunnel#done() done} and the
 *       channel closed.
 *   <li><b>Reset</b>: the stream ending early ({@link #onTunnelClosed}) or a broken peer resets the channel (RST:
 *       SO_LINGER 0); the channel closing or failing before both directions ended
 *       {@link RelayTunnel#abort aborts} the stream (its peer then resets the other socket).
 * </ul>
 *
 * <p>Threads: the channel's events arrive on its loop. The {@code onTunnel*} methods may be called from any thread:
 * on the channel's own loop they run inline (the usual case: the stream's connection is served by that loop), from
 * another thread they are handed to the loop as commands. Everything else is confined to the loop.
 */
public final class RawRelay extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RawRelay.class);

  /**
   * Tunnel frames kept requested while the channel is writable. Four 64 KiB chunks cover a loopback round trip
   * without stalling; one at a time cost two thread hops per chunk (measured on the HTTP edge).
   */
  public static final int PREFETCH_FRAMES = Limits.RESPONSE_PREFETCH_FRAMES;

  private final RelayTunnel tunnel;
  /** Names the exchange in logs, e.g. {@code TCP exchange 12}. */
  private final String label;

  // All fields below are owned by the channel's loop.
  /** Set in handlerAdded. */
  private ChannelHandlerContext ctx;
  /** {@link #start} ran: reads and frame requests may be issued. */
  private boolean started;
  /** The channel's FIN went to the tunnel as end_of_body. */
  private boolean inputEnded;
  /** The tunnel's end_of_body arrived; the channel's output is being shut down. */
  private boolean tunnelEnded;
  /** Our output is shut down (close_notify and FIN sent) after everything before it was written. */
  private boolean outputShut;
  /** A read of the channel is due as soon as the stream is ready again. */
  private boolean readWanted;
  /** Finished, cleanly or not: the tunnel has been told (or told us); late events are dropped. */
  private boolean done;

  public RawRelay(RelayTunnel tunnel, String label) {
    this.tunnel = tunnel;
    this.label = label;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().config().setAutoRead(false);
    ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true); // false when not supported
  }

  /**
   * Starts relaying; call on the channel's loop once the handler is in the pipeline. {@code queued} (owned by the
   * relay from now on; null for none) are bytes the previous handler had read but not handed on, such as what a
   * visitor sent right behind its upgrade request; {@code inputAlreadyShut} says that handler had seen the FIN too.
   * Both go to the tunnel first, in that order: no byte is lost at the hand-over.
   */
  public void start(ByteBuf queued, boolean inputAlreadyShut) {
    started = true;
    if (queued != null) {
      try {
        if (!done && queued.isReadable()) {
          sendChunks(queued);
        }
      } finally {
        queued.release();
      }
    }
    if (inputAlreadyShut) {
      onInputShutdown();
    }
    if (!done && !ctx.channel().isActive()) {
      fail("the connection closed before the relay started");
      return;
    }
    requestFrames();
    readWhenReady();
  }

  /** True once the channel's FIN went to the tunnel. */
  public boolean inputEnded() {
    return inputEnded;
  }

  /**
   * Ends the relay without telling the tunnel (its owner settles the stream itself, e.g. after a LocalFailure) and
   * closes the channel once its pending writes are out. On the channel's loop.
   */
  public void stop() {
    if (!done) {
      done = true;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  // ---- channel side (its event loop) ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done || inputEnded || !(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      sendChunks(buf);
    } finally {
      buf.release(); // the stream serialized the frames inside send: the pooled buffer goes back at once
    }
    readWhenReady();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      onInputShutdown();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    requestFrames();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      done = true;
      log.debug("{}: the connection closed before both directions ended", label);
      tunnel.abort(label + ": the connection closed before both directions ended");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The one sink of the relayed connection: a reset by the peer is routine, anything else is logged once.
    if (cause instanceof IOException) {
      log.debug("{}: connection failed: {}", label, cause.toString());
    } else {
      log.warn("{}: connection failed", label, cause);
    }
    ctx.close(); // channelInactive follows and aborts the stream
  }

  private void onInputShutdown() {
    if (done || inputEnded) {
      return;
    }
    inputEnded = true;
    tunnel.send(Unpooled.EMPTY_BUFFER, true);
    maybeFinish();
  }

  private void sendChunks(ByteBuf buf) {
    int index = buf.readerIndex();
    int end = buf.writerIndex();
    while (index < end && !done) {
      int length = Math.min(end - index, Limits.MAX_CHUNK_BYTES);
      tunnel.send(buf.slice(index, length), false);
      index += length;
    }
  }

  private void readWhenReady() {
    if (done || inputEnded || !started) {
      return;
    }
    if (tunnel.isReady()) {
      ctx.read();
    } else {
      readWanted = true;
    }
  }

  private void requestFrames() {
    if (started && !done && !tunnelEnded && ctx.channel().isWritable()) {
      tunnel.request(PREFETCH_FRAMES);
    }
  }

  // ---- tunnel side (any thread; run on the channel's loop) ----

  /** Bytes from the tunnel for the channel, {@code end} on the last; the relay owns {@code bytes}. */
  public void onTunnelData(ByteBuf bytes, boolean end) {
    EventLoop loop = ctx.channel().eventLoop();
    if (loop.inEventLoop()) {
      writeData(bytes, end);
    } else {
      loop.execute(new WriteDataCommand(bytes, end));
    }
  }

  /** The stream can take more (gRPC onReady): a read waiting for it is issued. */
  public void onTunnelReady() {
    EventLoop loop = ctx.channel().eventLoop();
    if (loop.inEventLoop()) {
      resumeReading();
    } else {
      loop.execute(new ResumeReadingCommand());
    }
  }

  /** The stream ended early (cancelled, failed, peer gone): the channel is reset. The tunnel is not called again. */
  public void onTunnelClosed(String reason) {
    EventLoop loop = ctx.channel().eventLoop();
    if (loop.inEventLoop()) {
      resetChannel(reason);
    } else {
      loop.execute(new ResetChannelCommand(reason));
    }
  }

  private void writeData(ByteBuf bytes, boolean end) {
    if (done) {
      bytes.release();
      return;
    }
    if (tunnelEnded) {
      bytes.release();
      fail("data after the end of the tunnel's direction");
      return;
    }
    if (!end) {
      ctx.writeAndFlush(bytes, ctx.voidPromise()); // a failed write reaches exceptionCaught
      requestFrames();
      return;
    }
    tunnelEnded = true;
    // shutdownOutput drops unwritten data: the half-close goes out only after the last bytes were written.
    ctx.writeAndFlush(bytes).addListener((ChannelFutureListener) written -> {
      if (!written.isSuccess()) {
        written.channel().close(); // channelInactive aborts the stream
        return;
      }
      shutdownOutput(written.channel()).addListener((ChannelFutureListener) shut -> {
        if (shut.isSuccess()) {
          outputShut = true;
          maybeFinish();
        } else {
          shut.channel().close();
        }
      });
    });
  }

  private void resumeReading() {
    if (readWanted && !done) {
      readWanted = false;
      readWhenReady();
    }
  }

  private void resetChannel(String reason) {
    if (done) {
      return;
    }
    done = true;
    log.debug("{}: tunnel stream ended early ({}): resetting the connection", label, reason);
    reset(ctx.channel());
  }

  /**
   * The half-close rule: over TLS, close_notify first (the peer's TLS stack reads a clean end, not a truncation),
   * then the FIN. A channel that cannot half-close (not a socket) is closed once the write is out.
   */
  static ChannelFuture shutdownOutput(Channel ch) {
    if (!(ch instanceof DuplexChannel duplex)) {
      return ch.close();
    }
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    if (tls == null) {
      return duplex.shutdownOutput();
    }
    var promise = ch.newPromise();
    tls.closeOutbound().addListener(notified -> duplex.shutdownOutput(promise));
    return promise;
  }

  /** The reset rule: SO_LINGER 0, so that close sends RST instead of FIN. */
  static void reset(Channel ch) {
    if (ch.isActive()) {
      ch.config().setOption(ChannelOption.SO_LINGER, 0);
    }
    ch.close();
  }

  private void maybeFinish() {
    if (done || !inputEnded || !tunnelEnded || !outputShut) {
      return;
    }
    done = true;
    tunnel.done();
    ctx.close();
  }

  /** Ends the exchange from our side: the stream is aborted and the channel reset. */
  private void fail(String reason) {
    if (done) {
      return;
    }
    done = true;
    log.debug("{}: aborted: {}", label, reason);
    tunnel.abort(label + ": " + reason);
    reset(ctx.channel());
  }

  /** Tunnel bytes handed to the channel's loop from another thread. */
  private final class WriteDataCommand implements Runnable {
    private final ByteBuf bytes;
    private final boolean end;

    WriteDataCommand(ByteBuf bytes, boolean end) {
      this.bytes = bytes;
      this.end = end;
    }

    @Override
    public void run() {
      writeData(bytes, end);
    }
  }

  /** The stream's onReady handed to the channel's loop. */
  private final class ResumeReadingCommand implements Runnable {
    @Override
    public void run() {
      resumeReading();
    }
  }

  /** The stream's early end handed to the channel's loop. */
  private final class ResetChannelCommand implements Runnable {
    private final String reason;

    ResetChannelCommand(String reason) {
      this.reason = reason;
    }

    @Override
    public void run() {
      resetChannel(reason);
    }
  }
}
