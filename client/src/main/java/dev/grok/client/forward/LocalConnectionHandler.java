package dev.grok.client.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a connection to the local service: hands decoded response objects, writability changes and
 * the connection's end to the exchange that uses the connection. While pooled (no exchange) the connection keeps
 * reading, so a close by the local service is seen at once; anything it sends then is unexpected and closes it.
 */
final class LocalConnectionHandler extends ChannelInboundHandlerAdapter {
  private final LocalConnectionPool pool;
  /** Set in handlerAdded, never null afterwards. */
  private Channel channel;
  /** The exchange using this connection; null while pooled or after its exchange let go. Loop-owned. */
  private LocalHttpExchange exchange;
  /** Closes the connection after the pool's idle timeout; non-null only while pooled. Loop-owned. */
  private ScheduledFuture<?> idleClose;

  LocalConnectionHandler(LocalConnectionPool pool) {
    this.pool = pool;
  }

  Channel channel() {
    return channel;
  }

  /** The connection now serves {@code e}; its events go there until {@link #detach()}. */
  void attach(LocalHttpExchange e) {
    cancelIdleClose();
    exchange = e;
  }

  void detach() {
    exchange = null;
  }

  /** The connection entered the idle pool: close it if nobody takes it within {@code idleTimeoutMillis}. */
  void pooled(long idleTimeoutMillis) {
    exchange = null;
    cancelIdleClose();
    channel.config().setAutoRead(true); // its last exchange may have paused reading
    idleClose = channel.eventLoop().schedule(() -> {
      idleClose = null;
      channel.close();
    }, idleTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    LocalHttpExchange e = exchange;
    if (e != null) {
      e.onLocalObject(msg); // takes ownership of msg
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    LocalHttpExchange e = exchange;
    if (e != null) {
      e.onLocalReadComplete();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    LocalHttpExchange e = exchange;
    if (e != null && ctx.channel().isWritable()) {
      e.onLocalWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelIdleClose();
    pool.remove(this);
    LocalHttpExchange e = exchange;
    exchange = null;
    if (e != null) {
      e.onLocalClosed(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LocalHttpExchange e = exchange;
    exchange = null;
    if (e != null) {
      e.onLocalClosed(cause);
    }
    ctx.close();
  }

  private void cancelIdleClose() {
    if (idleClose != null) {
      idleClose.cancel(false);
      idleClose = null;
    }
  }
}
