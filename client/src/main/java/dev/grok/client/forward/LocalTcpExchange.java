package dev.grok.client.forward;

import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.TcpOpen;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor's TCP connection as the client relays it: a connection to the local service, dialled as soon as the
 * TcpOpen arrives, and raw bytes as Data frames both ways. A FIN travels as {@code end_of_body}: the local
 * service's FIN ends our direction, the server's end shuts down our output after the last bytes. A local
 * connection that fails before its FIN cancels the stream (the visitor is reset); a failed dial answers
 * LocalFailure (the visitor's connection is closed).
 *
 * <p>Backpressure: the local connection is read (autoRead off) only while the tunnel stream is ready, else when it
 * turns ready again; the next server frame is asked for only once the local channel is writable. Everything
 * happens on one event loop: the stream's callbacks arrive there and the local connection lives there.
 */
public final class LocalTcpExchange implements TunnelExchange {
  private static final Logger log = LoggerFactory.getLogger(LocalTcpExchange.class);

  private final LocalAddresses target;
  private final TunnelSink tunnel;
  private final long exchangeId;

  // All fields below are owned by the exchange's loop.
  /** The local connection; null while dialling. */
  private Channel local;
  /** The local service's FIN went to the tunnel as end_of_body. */
  private boolean localEnded;
  /** The local connection is closed after its FIN: what still comes from the tunnel is dropped. */
  private boolean localGone;
  /** The server's end_of_body arrived. */
  private boolean tunnelEnded;
  /** Our output to the local service is shut down after the last bytes (or there is no one left to write to). */
  private boolean outputShut;
  /** A read of the local service is due as soon as the stream is ready again. */
  private boolean readWanted;
  /** The next server frame is due as soon as the local channel is writable again. */
  private boolean awaitingWritable;
  /** Finished (cleanly or not); late events are ignored. */
  private boolean done;

  LocalTcpExchange(LocalAddresses target, TcpOpen open, TunnelSink tunnel) {
    this.target = target;
    this.tunnel = tunnel;
    this.exchangeId = open.getExchangeId();
  }

  /** Dials the local service with {@code bootstrap} (whose group is {@code loop}). */
  void start(Bootstrap bootstrap, EventLoop loop) {
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast("local-tcp", new LocalSide());
      }
    });
    target.connect(b, loop).addListener((Future<Channel> f) -> {
      if (!f.isSuccess()) {
        if (!done) {
          done = true;
          String message = target.connectFailure(f.cause());
          log.debug("TCP exchange {}: {}", exchangeId, message);
          tunnel.send(TunnelResponses.failure(LocalFailure.Kind.REFUSED, message));
          tunnel.exchangeDone();
        }
        return;
      }
      if (done) {
        f.getNow().close(); // the tunnel went away while dialling
        return;
      }
      local = f.getNow();
      readWhenReady();
      tunnel.requestNext(); // the first bytes of the visitor, if any
    });
  }

  // ---- tunnel side (called by the tunnel stream on our loop) ----

  @Override
  public void onTunnelData(Data data) {
    if (done) {
      return;
    }
    if (local == null || tunnelEnded) {
      abort("data frame before the local connection or after the end of the visitor's direction");
      return;
    }
    boolean end = data.getEndOfBody();
    tunnelEnded = end;
    if (localGone) {
      if (end) {
        outputShut = true;
        maybeFinish();
      } else {
        tunnel.requestNext(); // nobody left to write to: drain the stream to its end
      }
      return;
    }
    // The ByteBuf wraps the message's bytes without a copy.
    ByteBuf buf = data.getBytes().isEmpty()
        ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data.getBytes().asReadOnlyByteBuffer());
    if (!end) {
      local.writeAndFlush(buf, local.voidPromise());
      if (local.isWritable()) {
        tunnel.requestNext();
      } else {
        awaitingWritable = true;
      }
      return;
    }
    Channel ch = local;
    // shutdownOutput drops unwritten data: the FIN goes out only after the last bytes were written.
    ch.writeAndFlush(buf).addListener(written -> {
      if (written.isSuccess()) {
        ((DuplexChannel) ch).shutdownOutput().addListener(shut -> {
          outputShut = true;
          maybeFinish();
        });
      } else {
        outputShut = true; // the local connection broke; channelInactive decides what that means
        maybeFinish();
      }
    });
  }

  @Override
  public void onTunnelReady() {
    if (readWanted && !done) {
      readWanted = false;
      readWhenReady();
    }
  }

  /** The stream was cancelled (the visitor reset or left): the local connection is reset too. */
  @Override
  public void onTunnelClosed() {
    if (done) {
      return;
    }
    done = true;
    if (local != null) {
      local.config().setOption(ChannelOption.SO_LINGER, 0);
      local.close();
    }
  }

  // ---- local side (LocalSide, on our loop) ----

  private void readWhenReady() {
    if (done || localEnded || local == null) {
      return;
    }
    if (tunnel.isReady()) {
      local.read();
    } else {
      readWanted = true;
    }
  }

  private void onLocalBytes(ByteBuf buf) {
    try {
      if (done || localEnded) {
        return;
      }
      tunnel.send(TunnelResponses.data(buf, false));
    } finally {
      buf.release();
    }
    readWhenReady();
  }

  private void onLocalInputShutdown() {
    if (done || localEnded) {
      return;
    }
    localEnded = true;
    tunnel.send(TunnelResponses.data(Unpooled.EMPTY_BUFFER, true));
    maybeFinish();
  }

  private void onLocalWritable() {
    if (awaitingWritable && !done && local.isWritable()) {
      awaitingWritable = false;
      tunnel.requestNext();
    }
  }

  private void onLocalClosed() {
    if (done) {
      return;
    }
    if (localEnded) {
      // It sent its FIN first: its bytes all went to the tunnel. Only the visitor's direction has nowhere to go.
      localGone = true;
      if (tunnelEnded) {
        outputShut = true;
        maybeFinish();
      } else if (awaitingWritable) {
        awaitingWritable = false;
        tunnel.requestNext();
      }
      return;
    }
    abort("local service " + target.authority() + " closed the connection without a FIN (reset)");
  }

  private void maybeFinish() {
    if (done || !localEnded || !tunnelEnded || !outputShut) {
      return;
    }
    done = true;
    local.close();
    tunnel.exchangeDone();
  }

  private void abort(String reason) {
    log.debug("TCP exchange {}: aborted: {}", exchangeId, reason);
    done = true;
    if (local != null) {
      local.close();
    }
    tunnel.abort(reason);
  }

  /** The last handler of the local connection: hands its events to the exchange. */
  private final class LocalSide extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (ctx.channel() == local && msg instanceof ByteBuf buf) {
        onLocalBytes(buf); // takes ownership
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent && ctx.channel() == local) {
        onLocalInputShutdown();
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel() == local) {
        onLocalWritable();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() == local) {
        onLocalClosed();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("TCP exchange {}: local connection failed: {}", exchangeId, cause.toString());
      ctx.close(); // channelInactive follows
    }
  }
}
