package dev.grok.server.admin;

import dev.grok.server.metrics.ServerMetrics;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one admin request: {@code /health} and static files on the event loop; {@code /metrics} and the API on
 * the admin executor (a scrape walks every meter, the API reads the database), answered back on the loop.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final BooleanSupplier ready;
  /** Null when the port serves {@code /health} only. */
  private final AdminApi api;
  /** Null with api. */
  private final ServerMetrics metrics;
  private final StaticFiles files;
  private final ExecutorService executor;

  AdminHandler(BooleanSupplier ready, AdminApi api, ServerMetrics metrics, StaticFiles files,
      ExecutorService executor) {
    this.ready = ready;
    this.api = api;
    this.metrics = metrics;
    this.files = files;
    this.executor = executor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    AdminRequest r = AdminRequest.of(req, ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
        ? a.getAddress().getHostAddress() : null, ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null);
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String path = r.path();
    if (path.equals("/health")) {
      boolean up = ready.getAsBoolean();
      respond(ctx, r, keepAlive, AdminResponse.text(
          up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
          up ? "{\"status\":\"ok\"}\n" : "{\"status\":\"starting\"}\n"));
      return;
    }
    if (api == null) {
      respond(ctx, r, keepAlive, notFound(path));
      return;
    }
    AdminResponse file = r.isSafe() ? files.get(path) : null;
    if (file != null) {
      respond(ctx, r, keepAlive, file);
    } else if (path.equals("/metrics") && r.isSafe()) {
      offload(ctx, r, keepAlive, () -> AdminResponse.text(HttpResponseStatus.OK, PROMETHEUS_TYPE, metrics.scrape()));
    } else if (path.startsWith("/api/")) {
      offload(ctx, r, keepAlive, () -> api.handle(r));
    } else {
      respond(ctx, r, keepAlive, notFound(path));
    }
  }

  private static AdminResponse notFound(String path) {
    return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "not found: " + path);
  }

  private void offload(ChannelHandlerContext ctx, AdminRequest r, boolean keepAlive,
      java.util.function.Supplier<AdminResponse> work) {
    try {
      executor.execute(() -> {
        AdminResponse res;
        try {
          res = work.get();
        } catch (RuntimeException e) {
          log.warn("admin {} {} failed", r.method(), r.path(), e);
          res = AdminResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
              "internal error: " + e.getClass().getSimpleName() + " (see the server log)");
        }
        AdminResponse done = res;
        ctx.executor().execute(() -> respond(ctx, r, keepAlive, done)); // writes only on the channel's loop
      });
    } catch (RejectedExecutionException busy) {
      respond(ctx, r, keepAlive, AdminResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
          "the admin API is busy (more than " + AdminServer.MAX_QUEUED_CALLS + " calls queued); retry"));
    }
  }

  private static void respond(ChannelHandlerContext ctx, AdminRequest r, boolean keepAlive, AdminResponse res) {
    var out = res.toNetty(r.method().equals(HttpMethod.HEAD));
    HttpUtil.setKeepAlive(out, keepAlive);
    var f = ctx.writeAndFlush(out);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
