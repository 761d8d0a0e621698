package dev.grok.server.edge.tcp;

import dev.grok.common.relay.RawRelay;
import dev.grok.common.relay.RelayTunnel;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TcpOpen;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.stream.TunnelExchange;
import dev.grok.server.stream.StreamPool;
import dev.grok.server.stream.TunnelStream;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
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
 * <p>Once a stream is assigned the bytes are relayed by a {@link RawRelay} behind this handler (backpressure,
 * half-close and reset as it defines them); this handler keeps the exchange's life: the wait for a stream, the
 * TcpOpen, LocalFailure, the meters. Everything happens on the visitor channel's loop; gRPC callbacks are handled
 * inline when they arrive there, else handed over with {@code loop().execute}.
 */
final class EdgeTcpExchange extends ChannelInboundHandlerAdapter implements TunnelExchange {
  private static final Logger log = LoggerFactory.getLogger(EdgeTcpExchange.class);

  private final EdgeTcpServer edge;
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
  /** Relays the bytes once a stream is assigned; null before. */
  private RawRelay relay;
  /** Finished (cleanly or not); late callbacks are ignored. */
  private boolean done;

  EdgeTcpExchange(EdgeTcpServer edge, int port) {
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
    streamWait = ctx.executor().schedule(this::onStreamWaitTimeout, EdgeTcpServer.STREAM_WAIT_MILLIS,
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
    relay = new RawRelay(new StreamSide(), "TCP exchange " + id + " on port " + port);
    ctx.pipeline().addLast("relay", relay);
    relay.start(null, false);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done && relay == null) {
      finishAborted("visitor closed the connection"); // while waiting for a stream; the relay sees it otherwise
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (relay != null) {
      ctx.fireExceptionCaught(cause); // the relay is the sink once it is there
      return;
    }
    if (!(cause instanceof IOException)) {
      log.warn("TCP exchange {} on port {} failed", id, port, cause);
    }
    ctx.close();
  }

  private void onStreamWaitTimeout() {
    streamWait = null;
    if (!done && stream == null) {
      log.info("TCP exchange {} on port {}: no Exchange stream within {} ms; closing the visitor", id, port,
          EdgeTcpServer.STREAM_WAIT_MILLIS);
      finishAborted(null);
    }
  }

  // ---- tunnel side (gRPC thread; handled inline on our loop, else handed to it) ----

  @Override
  public void onTunnelFrame(ClientFrame frame, ByteBuf data) {
    EventLoop loop = loop();
    if (loop.inEventLoop()) {
      handleFrame(frame, data); // the stream's connection is served by this loop: no task hop
    } else {
      loop.execute(() -> handleFrame(frame, data));
    }
  }

  private void handleFrame(ClientFrame frame, ByteBuf data) {
    if (done) {
      if (data != null) {
        data.release();
      }
      return;
    }
    switch (frame.getKindCase()) {
      case DATA -> {
        // No copy: data wraps the frame's bytes (the transport's own buffers on the zero-copy path); the relay owns it.
        bytesOut += data.readableBytes();
        relay.onTunnelData(data, frame.getData().getEndOfBody());
      }
      case LOCAL_FAILURE -> onLocalFailure(frame);
      default -> {
        log.debug("TCP exchange {}: unexpected {} from the client", id, frame.getKindCase());
        finishAborted("unexpected " + frame.getKindCase());
      }
    }
  }

  /** The client could not reach the local service: the visitor's connection is closed. */
  private void onLocalFailure(ClientFrame frame) {
    log.debug("TCP exchange {} on port {}: local service failed: {}", id, port,
        frame.getLocalFailure().getMessage());
    // The client's exchange is over; after our end of this direction the stream is clean for the next one (the
    // client drops what is left of our direction).
    boolean edgeEnded = relay.inputEnded();
    relay.stop();
    if (!edgeEnded) {
      stream.send(ServerFrame.newBuilder().setData(Data.newBuilder().setEndOfBody(true)).build());
    }
    done = true;
    record();
    stream.release();
    stream = null;
  }

  @Override
  public void onTunnelWritable() {
    RawRelay r = relay;
    if (r != null) {
      r.onTunnelReady(); // on our loop, or handed to it
    }
  }

  @Override
  public void onTunnelGone(Status status) {
    loop().execute(() -> {
      if (!done) {
        stream = null; // already gone: nothing to cancel
        finishAborted("tunnel stream ended: " + status.getCode());
      }
    });
  }

  // ---- endings ----

  /** Ends the exchange early: cancels the stream ({@code why} non-null) or the wait for one, resets the visitor. */
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
    if (relay != null) {
      relay.onTunnelClosed(why); // the relay's reset rule
    } else {
      ctx.close();
    }
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

  /** The stream as the relay sees it; called on our loop. */
  private final class StreamSide implements RelayTunnel {
    @Override
    public void send(ByteBuf bytes, boolean end) {
      bytesIn += bytes.readableBytes();
      stream.sendData(bytes, end);
    }

    @Override
    public boolean isReady() {
      return stream.isReady();
    }

    @Override
    public void request(int frames) {
      stream.requestUpTo(frames);
    }

    @Override
    public void abort(String reason) {
      if (!done) {
        done = true;
        record();
        stream.abort(reason);
        stream = null;
      }
    }

    @Override
    public void done() {
      if (!done) {
        done = true;
        record();
        stream.release(); // both directions ended cleanly: back to the pool; the relay closes the visitor
        stream = null;
      }
    }
  }
}
