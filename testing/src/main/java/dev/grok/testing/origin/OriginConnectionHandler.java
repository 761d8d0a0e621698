package dev.grok.testing.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One accepted connection of the origin: records each request, hands it to the {@link Exchange} the origin
 * chooses, keeps requests that arrive before the previous response ended (pipelining) until it did, and closes
 * after a response to a request without keep-alive. Every field is owned by the channel's event loop.
 */
final class OriginConnectionHandler extends ChannelInboundHandlerAdapter {
  private final LocalHttpOrigin origin;
  private final long connectionId;
  private int sequence;
  /** The request being received; null between requests. */
  private InFlightRequest inFlight;
  /** The exchange whose response is not finished; null between exchanges. */
  private Exchange exchange;
  /** Messages of later requests that arrived while {@link #exchange}'s response was still going. */
  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  /** True after the connection was reset or closed on purpose: everything else read is dropped. */
  private boolean discarding;
  private boolean readPaused;

  OriginConnectionHandler(LocalHttpOrigin origin, long connectionId) {
    this.origin = origin;
    this.connectionId = connectionId;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (discarding) {
      ReferenceCountUtil.release(msg);
    } else if (exchange != null && inFlight == null) {
      pipelined.add(msg);
    } else {
      dispatch(ctx, msg);
    }
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest head) {
      if (head.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        discarding = true;
        origin.badRequest(ctx, head);
        return;
      }
      sequence++;
      inFlight = new InFlightRequest(connectionId, sequence, head,
          (InetSocketAddress) ctx.channel().remoteAddress());
      if (origin.faultFor(head) == Fault.RESET_AT_START) {
        ReferenceCountUtil.release(msg);
        resetAtStart(ctx);
        return;
      }
      exchange = origin.exchangeFor(this, head);
      exchange.onStart(ctx);
    }
    if (msg instanceof HttpContent content && exchange != null && inFlight != null) {
      if (content.decoderResult().isFailure()) {
        // A malformed body (bad chunk framing): the request ends here, incomplete, and so does the connection.
        content.release();
        origin.recordings().record(inFlight.finish(false));
        inFlight = null;
        discarding = true;
        ctx.close();
        return;
      }
      ByteBuf bytes = content.content();
      inFlight.update(bytes);
      Exchange current = exchange;
      // The body bytes change owner: the exchange releases or forwards them.
      current.onContent(ctx, bytes);
      if (content instanceof LastHttpContent) {
        RecordedRequest recorded = inFlight.finish(true);
        inFlight = null;
        origin.recordings().record(recorded);
        current.onRequestEnd(ctx, recorded);
      }
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void resetAtStart(ChannelHandlerContext ctx) {
    origin.recordings().record(inFlight.finish(false));
    inFlight = null;
    discarding = true;
    // SO_LINGER 0 turns close() into an RST: the peer sees "connection reset", not an orderly end.
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    ctx.close();
  }

  /** Called by the exchange once its last write was issued. */
  void exchangeFinished(ChannelHandlerContext ctx, Exchange finished, ChannelFuture lastWrite) {
    if (finished != exchange) {
      return;
    }
    if (!finished.keepAlive) {
      discarding = true;
      releasePipelined();
      lastWrite.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    exchange = null;
    while (!pipelined.isEmpty() && !discarding && (exchange == null || inFlight != null)) {
      dispatch(ctx, pipelined.poll());
    }
  }

  /** Stops reading until the channel is writable again (a relaying exchange's backpressure). */
  void pauseReadingUntilWritable(ChannelHandlerContext ctx) {
    if (!readPaused) {
      readPaused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      if (readPaused) {
        readPaused = false;
        // Turning auto-read back on issues a read by itself.
        ctx.channel().config().setAutoRead(true);
      }
      if (exchange != null) {
        exchange.onWritable(ctx);
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (inFlight != null) {
      origin.recordings().record(inFlight.finish(false));
      inFlight = null;
    }
    if (exchange != null) {
      exchange.onClosed();
    }
    releasePipelined();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets by the peer are part of the tests; anything else is closed the same way.
    ctx.close();
  }

  private void releasePipelined() {
    for (Object msg; (msg = pipelined.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
    }
  }
}
