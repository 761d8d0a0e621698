package dev.grok.server.edge.tcp;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TcpOpen;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.stream.StreamExchange;
import dev.grok.server.stream.StreamPool;
import dev.grok.server.stream.TunnelStream;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor connection to a TCP tunnel's port, relayed as one exchange on one Exchange stream: {@code TcpOpen},
 * then raw bytes as Data frames both ways. A FIN travels as {@code end_of_body} (the channel allows half-closure:
 * the visitor's FIN becomes our Data end, the client's Data end becomes our shutdownOutput); an aborted stream
 * resets the visitor; a visitor gone before both directions ended cancels the stream.
 *
 * <p>Backpressure: the visitor is read (autoRead off) only while the stream {@code isReady()}, else when it turns
 * ready again; frames from the client are requested (a few ahead) only while the visitor's channel is writable.
 * Everything happens on the visitor channel's loop; gRPC callbacks are handed over with {@code loop().execute}.
 */
final class TcpExchange extends ChannelInboundHandlerAdapter implements StreamExchange {
  private static final Logger log = LoggerFactory.getLogger(TcpExchange.class);

  private final TcpEdge edge;
  private final int port;
  /** Set in handlerAdded. All fields are owned by the channel's loop. */
  private ChannelHandlerContext ctx;
  private long id;
  /** The tunnel, for its traffic meters; null until channelActive found it. */
  private Tunnel tunnel;
  private long startNanos;
  /** Bytes relayed towards the local service / towards the visitor, for the tunnel's meters. */
  private long bytesIn;
  private long bytesOut;
  /** The tunnel owner's stream pool; null until channelActive found the tunnel. */
  private StreamPool streams;
  /** The client's id of the tunnel; set with streams. */
  private int tunnelId;
  /** Null until a stream is assigned, and again once the exchange let go of it. */
  private TunnelStream stream;
  /** Closes the visitor when no stream comes in time; null once one came. */
  private ScheduledFuture<?> streamWait;
  /** The visitor's FIN went to the tunnel as end_of_body. */
  private boolean edgeEnded;
  /** The client's end_of_body arrived (the visitor's output is being shut down). */
  private boolean tunnelEnded;
  /** The visitor's output is shut down after everything before it was written. */
  private boolean outputShut;
  /** A read of the visitor is due as soon as the stream is ready again. */
  private boolean readWanted;
  /** Finished (cleanly or not); late callbacks are ignored. */
  private boolean done;

  TcpExchange(TcpEdge edge, int port) {
    this.edge = edge;
    this.port = port;
  }

  @Override
  public EventLoop loop() {
    return ctx.channel().eventLoop();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  // ---- visitor side (event loop) ----

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.fireChannelActive();
    Tunnel tunnel = edge.registry().lookupPort(port);
    if (tunnel == null) {
      ctx.close(); // the tunnel ended while this connection was accepted
      return;
    }
    id = edge.nextExchangeId();
    this.tunnel = tunnel;
    startNanos = System.nanoTime();
    streams = tunnel.streams();
    tunnelId = tunnel.tunnelId();
    streamWait = ctx.executor().schedule(this::onStreamWaitTimeout, TcpEdge.STREAM_WAIT_MILLIS,
        TimeUnit.MILLISECONDS);
    TunnelStream s;
    try {
      s = streams.acquire(this);
    } catch (IllegalStateException overloaded) {
      log.warn("TCP exchange {} on port {}: {}", id, port, overloaded.getMessage());
      finishAborted(null);
      return;
    }
    if (s != null) {
      onStream(s);
    } else if (streams.isClosed()) {
      finishAborted(null);
    }
    // else: queued; onStreamAssigned continues
  }

  @Override
  public void onStreamAssigned(TunnelStream s) {
    loop().execute(() -> {
      if (done) {
        s.release();
        return;
      }
      onStream(s);
    });
  }

  private void onStream(TunnelStream s) {
    cancelStreamWait();
    stream = s;
    TcpOpen.Builder open = TcpOpen.newBuilder().setExchangeId(id).setTunnelId(tunnelId);
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
      open.setRemoteAddress(a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress())
          .setRemotePort(a.getPort());
    }
    s.send(ServerFrame.newBuilder().setTcpOpen(open).build());
    requestFrames();
    readWhenReady();
  }

  private void readWhenReady() {
    if (done || edgeEnded) {
      return;
    }
    if (stream.isReady()) {
      ctx.read();
    } else {
      readWanted = true;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done || edgeEnded || stream == null || !(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      bytesIn += buf.readableBytes();
      stream.sendData(buf, false);
    } finally {
      buf.release(); // the pooled buffer goes back at once: gRPC serialized the frames inside sendData
    }
    readWhenReady();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !done && stream != null && !edgeEnded) {
      edgeEnded = true; // the visitor's FIN: forward it as the end of this direction
      stream.send(ServerFrame.newBuilder().setData(Data.newBuilder().setEndOfBody(true)).build());
      maybeFinish();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    requestFrames();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      finishAborted("visitor closed the connection");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The one sink of this pipeline: a reset by the visitor is routine, anything else is logged once.
    if (!(cause instanceof IOException)) {
      log.warn("TCP exchange {} on port {} failed", id, port, cause);
    }
    ctx.close();
  }

  private void onStreamWaitTimeout() {
    streamWait = null;
    if (!done && stream == null) {
      log.info("TCP exchange {} on port {}: no Exchange stream within {} ms; closing the visitor", id, port,
          TcpEdge.STREAM_WAIT_MILLIS);
      finishAborted(null);
    }
  }

  // ---- tunnel side (gRPC thread -> event loop) ----

  @Override
  public void onTunnelFrame(ClientFrame frame) {
    loop().execute(() -> {
      if (done) {
        return;
      }
      switch (frame.getKindCase()) {
        case DATA -> onTunnelData(frame.getData());
        case LOCAL_FAILURE -> onLocalFailure(frame);
        default -> {
          log.debug("TCP exchange {}: unexpected {} from the client", id, frame.getKindCase());
          resetVisitor("unexpected " + frame.getKindCase());
        }
      }
    });
  }

  private void onTunnelData(Data data) {
    if (tunnelEnded) {
      resetVisitor("data after the end of the client's direction");
      return;
    }
    // No copy: the Netty buffer wraps the protobuf bytes, which are immutable and owned by this frame now.
    ByteBuf buf = data.getBytes().isEmpty()
        ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data.getBytes().asReadOnlyByteBuffer());
    bytesOut += buf.readableBytes();
    if (!data.getEndOfBody()) {
      ctx.writeAndFlush(buf, ctx.voidPromise());
      requestFrames();
      return;
    }
    tunnelEnded = true;
    // shutdownOutput drops unwritten data: the FIN goes out only after the last bytes were written.
    ctx.writeAndFlush(buf).addListener(written -> {
      if (written.isSuccess()) {
        ((DuplexChannel) ctx.channel()).shutdownOutput().addListener(shut -> {
          outputShut = shut.isSuccess();
          maybeFinish();
        });
      }
    });
  }

  /** The client could not reach the local service: the visitor's connection is closed. */
  private void onLocalFailure(ClientFrame frame) {
    log.debug("TCP exchange {} on port {}: local service failed: {}", id, port,
        frame.getLocalFailure().getMessage());
    // The client's exchange is over; after our end of this direction the stream is clean for the next one (the
    // client drops what is left of our direction).
    if (!edgeEnded) {
      edgeEnded = true;
      stream.send(ServerFrame.newBuilder().setData(Data.newBuilder().setEndOfBody(true)).build());
    }
    done = true;
    record();
    cancelStreamWait();
    stream.release();
    stream = null;
    ctx.close();
  }

  @Override
  public void onTunnelWritable() {
    loop().execute(() -> {
      if (readWanted && !done) {
        readWanted = false;
        readWhenReady();
      }
    });
  }

  @Override
  public void onTunnelGone(Status status) {
    loop().execute(() -> {
      if (!done) {
        stream = null; // already gone: nothing to cancel
        resetVisitor("tunnel stream ended: " + status.getCode());
      }
    });
  }

  // ---- endings ----

  /** Keeps a few client frames requested while the visitor can take them. */
  private void requestFrames() {
    if (!done && stream != null && !tunnelEnded && ctx.channel().isWritable()) {
      stream.requestUpTo(Limits.RESPONSE_PREFETCH_FRAMES);
    }
  }

  /** Both directions ended cleanly: the stream goes back to the pool, the visitor's socket is closed. */
  private void maybeFinish() {
    if (done || !edgeEnded || !outputShut) {
      return;
    }
    done = true;
    record();
    stream.release();
    stream = null;
    ctx.close();
  }

  /** A reset: the visitor's connection is closed with RST (SO_LINGER 0), the stream cancelled. */
  private void resetVisitor(String why) {
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    finishAborted(why);
    ctx.close();
  }

  /** Ends the exchange early: cancels the stream ({@code why} non-null) or the wait for one, closes the visitor. */
  private void finishAborted(String why) {
    if (done) {
      return;
    }
    done = true;
    record();
    cancelStreamWait();
    if (stream != null) {
      stream.abort(why == null ? "TCP exchange " + id + " ended early" : why);
      stream = null;
    } else if (streams != null) {
      streams.cancelWait(this);
    }
    ctx.close();
  }

  /** The connection is over: its lifetime and bytes go to the tunnel's meters (method TCP, no status). */
  private void record() {
    if (tunnel != null) {
      tunnel.traffic().record("TCP", 0, System.nanoTime() - startNanos, bytesIn, bytesOut);
    }
  }

  private void cancelStreamWait() {
    if (streamWait != null) {
      streamWait.cancel(false);
      streamWait = null;
    }
  }
}
