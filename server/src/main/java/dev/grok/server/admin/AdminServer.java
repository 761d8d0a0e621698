package dev.grok.server.admin;

import dev.grok.common.EventLoops;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.metrics.ServerMetrics;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.tunnel.SessionManager;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The admin listener: {@code /health}, {@code /metrics}, the dashboard at {@code /} and the REST API under
 * {@code /api} (see {@link AdminHandler}). Requests here are small and rare, so they are aggregated; API calls run
 * on a small executor of their own because they read the token database.
 */
public final class AdminServer implements AutoCloseable {
  /** Admin API calls queued at most; beyond it the caller gets 503. */
  static final int MAX_QUEUED_CALLS = 64;

  private final Channel listener;
  private final ExecutorService executor;

  private AdminServer(Channel listener, ExecutorService executor) {
    this.listener = listener;
    this.executor = executor;
  }

  /**
   * What the API and {@code /metrics} serve; without it the port answers {@code /health} only.
   *
   * @param accounts users, sessions and sign-in on the tokens' database
   * @param clockMillis drives the sign-in throttle (epoch milliseconds)
   */
  public record Services(TokenStore tokens, Accounts accounts, TunnelRegistry registry, SessionManager sessions,
      ServerMetrics metrics, String publicUrlFormat, LongSupplier clockMillis) {
    /** With accounts on the tokens' database and the system clock. */
    public Services(TokenStore tokens, TunnelRegistry registry, SessionManager sessions, ServerMetrics metrics,
        String publicUrlFormat) {
      this(tokens, Accounts.of(tokens), registry, sessions, metrics, publicUrlFormat, System::currentTimeMillis);
    }
  }

  /** {@code ready} says whether all listeners are up. Only {@code /health}. */
  public static AdminServer start(EventLoops loops, String bind, int port, BooleanSupplier ready)
      throws InterruptedException {
    return start(loops, bind, port, ready, null);
  }

  /** {@code ready} says whether all listeners are up; {@code services} null: only {@code /health}. */
  public static AdminServer start(EventLoops loops, String bind, int port, BooleanSupplier ready,
      Services services) throws InterruptedException {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(MAX_QUEUED_CALLS), r -> {
          Thread t = new Thread(r, "grok-admin-api");
          t.setDaemon(true);
          return t;
        });
    AdminApi api = services == null ? null : new AdminApi(services.tokens(), services.accounts(),
        new SignInThrottle(services.clockMillis()), services.registry(), services.sessions(), services.metrics(),
        services.publicUrlFormat());
    ServerMetrics metrics = services == null ? null : services.metrics();
    if (services != null) {
      services.accounts().users().refuseSlugsClaimingLiveNames(services.registry()::namesUnderOrg);
    }
    StaticFiles files = new StaticFiles();
    ServerBootstrap b = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                new AdminHandler(ready, api, metrics, files, executor));
          }
        });
    try {
      return new AdminServer(b.bind(bind, port).sync().channel(), executor);
    } catch (InterruptedException | RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    executor.shutdownNow();
  }
}
