package dev.grok.server.tunnel.guard;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of a tunnel-port connection: closes it when no call of it has passed the token check within the
 * deadline ({@link TunnelConnections}), and removes itself once one has. Owned by the connection's event loop;
 * {@link #authenticated()} may be called from any thread.
 */
final class AuthDeadlineHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(AuthDeadlineHandler.class);

  private final TunnelConnections connections;
  /** Set in handlerAdded; null before. */
  private ChannelHandlerContext ctx;
  /** The connection's remote address, the key in TunnelConnections; null when the channel had none. */
  private SocketAddress remote;
  /** The close at the deadline; null before handlerAdded and after it was cancelled. */
  private ScheduledFuture<?> deadline;
  /** Counted among the waiting connections (until authenticated or closed). Loop-confined. */
  private boolean waiting;

  AuthDeadlineHandler(TunnelConnections connections) {
    this.connections = connections;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.remote = ctx.channel().remoteAddress();
    if (!connections.admit(remote, this)) {
      log.debug("tunnel port: closing {}: too many connections waiting to authenticate", remote);
      ctx.close();
      return;
    }
    waiting = true;
    deadline = ctx.executor().schedule(this::expire, connections.authTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  private void expire() {
    if (waiting) {
      connections.timedOut();
      log.debug("tunnel port: closing {}: no authenticated call within {} ms", remote,
          connections.authTimeoutMillis());
      finish();
      ctx.close();
    }
  }

  /** A call of this connection passed the token check. */
  void authenticated() {
    if (ctx.executor().inEventLoop()) {
      onAuthenticated();
    } else {
      ctx.executor().execute(this::onAuthenticated);
    }
  }

  private void onAuthenticated() {
    if (waiting) {
      finish();
      if (!ctx.isRemoved()) {
        ctx.pipeline().remove(this);
      }
    }
  }

  private void finish() {
    waiting = false;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    connections.done(remote, this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (waiting) {
      finish();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (waiting) {
      finish();
    }
  }
}
