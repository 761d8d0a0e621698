package dev.grok.server.edge.http;

import dev.grok.common.relay.RawRelay;
import dev.grok.server.edge.guard.EdgeRefusal;
import dev.grok.server.edge.guard.Http1RequestGuard;
import dev.grok.server.edge.guard.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor connection. Takes one decoded message at a time, on demand ({@link #readNext()}): the next request
 * only after the current exchange has finished (HTTP/1.1 answers in order), request body chunks only while the
 * tunnel stream is ready. All state is confined to the channel's event loop.
 *
 * <p>Why not Netty's FlowControlHandler: in 4.2.18 its channelReadComplete forgets a read() requested during the
 * read cycle (it zeroes its count of unsatisfied reads), so a body chunk decoded after that stays queued forever.
 * The few messages one socket read decodes beyond the demand wait in {@link #decoded} instead; its size is bounded
 * by what a single read can hold, since the socket is read only while that backlog is empty (one read is kept
 * pending then, demand or not, so that Netty's epoll transport does not disarm and re-arm the socket around
 * every request: two epoll_ctl calls per keep-alive request).
 *
 * <p>Upgrades ({@link EdgeUpgrade}): once an upgrade request is decoded the decoder is removed, and what follows
 * arrives as raw {@code ByteBuf}s that wait in the backlog (a visitor's half-close behind them as
 * {@link EdgeUpgrade#INPUT_SHUTDOWN}); after a 101 this handler hands them over to a {@link RawRelay} and leaves
 * the pipeline ({@link #handOverTo}).
 */
final class EdgeHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EdgeHttpHandler.class);

  private final EdgeContext edge;
  private ChannelHandlerContext ctx;
  /** The exchange in progress; null between requests. Event-loop confined. */
  private EdgeHttpExchange current;
  /** Messages decoded beyond the demand, oldest first. Event-loop confined. */
  private final ArrayDeque<Object> decoded = new ArrayDeque<>(4);
  /** A message was asked for and not yet delivered. */
  private boolean demand;
  /** True while a message is being handed over: a readNext() then only records the demand (no recursion). */
  private boolean delivering;
  /** An upgrade request was decoded and its last content has not arrived yet. Event-loop confined. */
  private boolean upgradeRequestDecoding;
  /** The visitor half-closed (raw connections only): nothing more to read. */
  private boolean inputShutdown;
  /** A refusal is being answered: the close drains the visitor first ({@link LingeringClose}). */
  private boolean lingerOnClose;
  /** The framing check in front of the decoder, told when an exchange ends; null in pipelines without one. */
  private Http1RequestGuard guard;

  EdgeHttpHandler(EdgeContext edge) {
    this.edge = edge;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.guard = ctx.pipeline().get(Http1RequestGuard.class);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    readNext();
    ctx.fireChannelActive();
  }

  /** Asks for the next decoded message: from the backlog when there is one, else from the socket. */
  void readNext() {
    demand = true;
    if (!delivering) {
      deliver(); // when delivering, the loop in deliver() picks the demand up
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext unused, Object msg) {
    if (msg instanceof HttpRequest request && EdgeUpgrade.isUpgradeRequest(request)) {
      upgradeRequestDecoding = true;
    }
    if (current != null && decoded.isEmpty() && !upgradeRequestDecoding && msg instanceof LastHttpContent last
        && current.endsBodilessRequest(last)) {
      // The decoder's empty end of a request without a body: nothing waits for it, and taken now it leaves the
      // backlog empty, so the socket stays armed for reading (see deliver()).
      current.onEdgeContent(last);
      return;
    }
    decoded.addLast(msg);
    if (upgradeRequestDecoding && msg instanceof LastHttpContent) {
      upgradeRequestDecoding = false;
      // Before the decoder parses what follows as another request; its leftover bytes are queued behind msg.
      EdgeUpgrade.stopDecoding(ctx.pipeline());
    }
    if (!delivering) {
      deliver(); // hands over what is demanded, and keeps a read pending while the backlog is empty
    }
  }

  /** Hands backlog messages over while there is demand; asks the socket when demand is left and nothing is. */
  private void deliver() {
    delivering = true;
    try {
      Object msg;
      while (demand && (msg = decoded.pollFirst()) != null) {
        demand = false;
        handle(msg);
      }
    } finally {
      delivering = false;
    }
    // One read stays pending whenever nothing waits in the backlog, demand or not: a completed read with none
    // pending makes Netty's epoll transport disarm the socket (epoll_ctl) and the next read() arm it again, two
    // syscalls per keep-alive request. The bound stays what one read decodes: with a backlog, no read is asked.
    if (decoded.isEmpty() && !inputShutdown && ctx.channel().isActive()) {
      ctx.read();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Reads are issued on demand only; a completed read cycle says nothing about what is wanted next.
    ctx.fireChannelReadComplete();
  }

  private void handle(Object msg) {
    if (msg instanceof EdgeRefusal refusal) {
      // The guard refused what followed the messages before it: answer in order, then close.
      lingerOnClose = true;
      if (current != null) {
        current.onEdgeRefused(refusal); // answers (or cuts) and ends the exchange, which closes the connection
        if (current != null) {
          current = null;
          ctx.close();
        }
      } else {
        reject(HttpResponseStatus.valueOf(refusal.status()), refusal.detail());
      }
    } else if (msg instanceof HttpRequest request) {
      if (current != null) {
        // Cannot happen while we read only between exchanges; refuse rather than interleave.
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      DecoderResult result = request.decoderResult();
      if (result.isFailure()) {
        ReferenceCountUtil.release(msg);
        rejectMalformed(result.cause());
        return;
      }
      current = new EdgeHttpExchange(edge, this, ctx, request, edge.exchangeIds.incrementAndGet());
      current.start();
    } else if (msg instanceof ByteBuf bytes) {
      // bytes behind an upgrade request that was not switched (a switched one hands them to its relay)
      bytes.release();
      ctx.close();
    } else if (msg == EdgeUpgrade.INPUT_SHUTDOWN) {
      if (current != null) {
        // The visitor stopped sending in the middle of a request body: that request can never be complete.
        EdgeHttpExchange broken = current;
        current = null;
        broken.onEdgeClosed();
        ctx.close();
      } else {
        // The visitor half-closed after its last request (HTTP/1.0 tools, `printf ... | nc -N`): that request
        // has been answered by now (this marker is delivered only on demand), so the connection is done.
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    } else if (msg instanceof HttpContent content) {
      if (current != null) {
        current.onEdgeContent(content);
      } else {
        // the empty last chunk of a bodiless request whose exchange already finished
        content.release();
        readNext();
      }
    } else {
      ReferenceCountUtil.release(msg);
      readNext();
    }
  }

  /**
   * The current exchange relayed a 101: this handler leaves the pipeline to {@code relay}. What the visitor sent
   * behind its upgrade request (raw bytes queued here since the decoder was removed) and a FIN seen meanwhile go
   * to the relay first, in order, so no byte is lost; the request's own empty end is dropped.
   */
  void handOverTo(RawRelay relay) {
    CompositeByteBuf queued = ctx.alloc().compositeBuffer();
    boolean fin = false;
    Object msg;
    while ((msg = decoded.pollFirst()) != null) {
      if (msg instanceof ByteBuf bytes) {
        queued.addComponent(true, bytes);
      } else if (msg == EdgeUpgrade.INPUT_SHUTDOWN) {
        fin = true;
      } else {
        ReferenceCountUtil.release(msg);
      }
    }
    current = null;
    ctx.pipeline().replace(this, "relay", relay);
    relay.start(queued, fin);
  }

  /** The current exchange is over; read the next request or close. */
  void exchangeDone(EdgeHttpExchange exchange, boolean keepAlive) {
    if (current != exchange) {
      return;
    }
    current = null;
    if (guard != null) {
      guard.exchangeEnded();
    }
    if (keepAlive && ctx.channel().isActive()) {
      readNext();
    } else if (lingerOnClose) {
      LingeringClose.after(ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER));
    } else {
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void rejectMalformed(Throwable cause) {
    HttpResponseStatus status;
    String detail;
    if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      detail = "The request headers are larger than this server accepts. Send fewer or smaller headers.";
    } else if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      detail = "The request line is longer than this server accepts. Shorten the URL.";
    } else if (cause instanceof TooLongFrameException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      detail = "A part of the request is larger than this server accepts.";
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
      detail = "The request is not valid HTTP/1.1: " + cause.getMessage();
    }
    reject(status, detail);
  }

  private void reject(HttpResponseStatus status, String detail) {
    FullHttpResponse response = ErrorPages.render(ctx.alloc(), status, status.reasonPhrase(), detail, false, false);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    LingeringClose.after(ctx.writeAndFlush(response));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !inputShutdown) {
      // The FIN goes behind the bytes that came before it: a request sent before a half-close is still answered.
      inputShutdown = true;
      decoded.addLast(EdgeUpgrade.INPUT_SHUTDOWN);
      if (demand && !delivering) {
        deliver();
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null && ctx.channel().isWritable()) {
      current.onEdgeWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Object msg;
    while ((msg = decoded.pollFirst()) != null) {
      ReferenceCountUtil.release(msg);
    }
    if (current != null) {
      current.onEdgeClosed();
      current = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The one sink of this pipeline: a reset by the visitor is routine, anything else is logged once.
    if (!(cause instanceof IOException)) {
      log.warn("edge connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
