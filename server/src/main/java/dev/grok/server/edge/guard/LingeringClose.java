package dev.grok.server.edge.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a refused visitor's connection the way nginx's lingering close does: once the error page is written the
 * edge half-closes (the visitor reads the page and its end), then keeps reading and dropping what the visitor
 * still sends until it closes too, or {@link #LINGER_MILLIS} at most. Closing at once while the visitor's bytes
 * sit unread would make the kernel answer with a reset, which may destroy the error page before it is read.
 */
public final class LingeringClose {
  /** Longest the edge waits for a refused visitor to close its side. */
  public static final long LINGER_MILLIS = 2_000;

  private LingeringClose() {}

  /** First in the pipeline while lingering: drops every byte, closes at the visitor's end of input. */
  private static final class Drain extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.close();
      }
    }
  }

  /** After {@code lastWrite}: half-close, drain (the guard drops what comes), close by the deadline. */
  public static void after(ChannelFuture lastWrite) {
    lastWrite.addListener((ChannelFutureListener) f -> {
      Channel ch = f.channel();
      if (!f.isSuccess() || !ch.isActive() || !(ch instanceof DuplexChannel duplex) || duplex.isOutputShutdown()) {
        ch.close();
        return;
      }
      duplex.shutdownOutput();
      ch.eventLoop().schedule(() -> {
        ch.close();
      }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
      ch.pipeline().addFirst("linger", new Drain());
      ch.config().setAutoRead(true);
    });
  }
}
