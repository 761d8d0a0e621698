package dev.grok.server;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.server.admin.AdminServer;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.edge.http.EdgeHttpServer;
import dev.grok.server.metrics.ServerMetrics;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.tunnel.AuthInterceptor;
import dev.grok.server.tunnel.SessionManager;
import dev.grok.server.tunnel.TunnelService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server. Everything network-facing (edge, gRPC, admin) shares one event-loop group; the only other
 * thread is a scheduler for database polls, which must never run on an event loop.
 */
public final class GrokServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrokServer.class);

  private final ServerConfig config;
  private final EventLoops loops;
  private final ScheduledExecutorService scheduler;
  private final TokenStore tokens;
  private final Optional<String> createdAdminToken;
  private final SessionManager sessions;
  private final TunnelRegistry registry;
  private final EdgeHttpServer edge;
  private final Server grpc;
  private final AdminServer admin;
  private final ServerMetrics metrics;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean ready;
  private boolean closing;

  private GrokServer(ServerConfig config) throws Exception {
    this.config = config;
    this.tokens = TokenStore.open(config.dataDir(), config.dbUrl(), config.dbUser(), config.dbPassword());
    EventLoops createdLoops = null;
    ScheduledExecutorService createdScheduler = null;
    try {
      this.createdAdminToken = config.dbUrl() == null ? tokens.ensureAdminToken(config.dataDir()) : Optional.empty();
      // One loop per core: more loops than cores only add wake-ups and hops between the edge and gRPC loops.
      createdLoops = EventLoops.create("grok-server", Runtime.getRuntime().availableProcessors());
      createdScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "grok-server-scheduler");
        t.setDaemon(true);
        return t;
      });
      this.loops = createdLoops;
      this.scheduler = createdScheduler;
      this.metrics = new ServerMetrics();
      this.registry = new TunnelRegistry(config.maxTunnelsPerUser(), metrics);
      this.sessions = new SessionManager(tokens, scheduler);
      this.edge = EdgeHttpServer.start(loops, config.bind(), config.httpPort(), registry, config.domain(),
          config.responseTimeout(), metrics);
      String portPart = edge.port() == 80 ? "" : ":" + edge.port();
      String publicUrlFormat = "http://%s." + config.domain() + portPart;
      metrics.bindGauges(() -> sessions.all().size(), registry::size, edge::inFlight,
          () -> sessions.all().stream().mapToInt(s -> s.idleStreams()).sum());
      metrics.startSampling(scheduler);
      this.admin = AdminServer.start(loops, config.bind(), config.adminPort(), () -> ready,
          new AdminServer.Services(tokens, registry, sessions, metrics, publicUrlFormat));
      TunnelService service = new TunnelService(sessions, registry, publicUrlFormat);
      this.grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.tunnelPort()))
          .bossEventLoopGroup(loops.group())
          .workerEventLoopGroup(loops.group())
          .channelType(loops.serverChannelType())
          // Callbacks on the transport's event loop: the default executor costs 3-10x CPU per exchange.
          .directExecutor()
          .addStreamTracerFactory(metrics.wireTracer())
          .addService(ServerInterceptors.intercept(service, new AuthInterceptor(tokens)))
          .maxInboundMessageSize(Limits.MAX_MESSAGE_BYTES)
          .flowControlWindow(Limits.STREAM_WINDOW_BYTES)
          .keepAliveTime(30, TimeUnit.SECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS)
          .permitKeepAliveTime(5, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .build()
          .start();
    } catch (Exception | Error e) {
      tokens.close();
      if (createdScheduler != null) {
        createdScheduler.shutdownNow();
      }
      if (createdLoops != null) {
        createdLoops.close();
      }
      throw e;
    }
    ready = true;
  }

  /**
   * Opens the database (migrations, zero-config admin token), binds every listener and returns once all are up.
   */
  public static GrokServer start(ServerConfig config) throws Exception {
    GrokServer server = new GrokServer(config);
    log.info("grok-server up: http :{}, tunnel :{}, admin :{}, domain {} ({})", server.httpPort(),
        server.tunnelPort(), server.adminPort(), config.domain(), server.loops.isEpoll() ? "epoll" : "nio");
    return server;
  }

  /** The raw admin token when this start created it (zero-config first start), to print once. */
  public Optional<String> createdAdminToken() {
    return createdAdminToken;
  }

  public int httpPort() {
    return edge.port();
  }

  public int tunnelPort() {
    return grpc.getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  public TunnelRegistry registry() {
    return registry;
  }

  public SessionManager sessions() {
    return sessions;
  }

  public TokenStore tokens() {
    return tokens;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** Graceful stop: stop accepting, let exchanges in flight finish for shutdownGrace, then close. */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    try {
      ready = false;
      edge.stopAccepting();
      long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
      while (edge.inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20); // a bounded drain poll; exchanges finish on their own loops
      }
      if (edge.inFlight() > 0) {
        log.warn("stopping with {} exchanges still in flight after {} s", edge.inFlight(),
            config.shutdownGrace().toSeconds());
      }
      sessions.goAwayAll("the server is shutting down");
      grpc.shutdown();
      if (!grpc.awaitTermination(1, TimeUnit.SECONDS)) {
        grpc.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
      }
      edge.close();
      admin.close();
      sessions.close();
      metrics.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      loops.close();
      tokens.close();
      log.info("grok-server stopped");
      closed.countDown();
    }
  }

  /** Blocks until {@link #close()} has completed. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }
}
