package dev.grok.server;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.common.compress.CompressorRate;
import dev.grok.common.compress.GrpcCodecs;
import dev.grok.common.frames.ExchangeMethods;
import dev.grok.server.admin.AdminServer;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Org;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.edge.guard.EdgeGuardMetrics;
import dev.grok.server.edge.http.EdgeGuards;
import dev.grok.server.edge.http.EdgeHttpServer;
import dev.grok.server.edge.tcp.PortRange;
import dev.grok.server.edge.tcp.EdgeTcpServer;
import dev.grok.server.metrics.ServerMetrics;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.requestlog.RequestLog;
import dev.grok.server.tls.ServerTls;
import dev.grok.server.ratelimit.TunnelRateLimiter;
import dev.grok.server.tunnel.AuthInterceptor;
import dev.grok.server.tunnel.SessionContext;
import dev.grok.server.tunnel.SessionManager;
import dev.grok.server.tunnel.TunnelService;
import dev.grok.server.tunnel.guard.TunnelPortLimits;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server. Everything network-facing (edge, gRPC, admin) shares one event-loop group; the only other
 * threads are a scheduler for database polls and the request log's writer, which must never run on an event loop.
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
  private final EdgeTcpServer tcpEdge;
  /** The HTTPS edge; null without a certificate. */
  private final EdgeHttpServer httpsEdge;
  private final Server grpc;
  private final AdminServer admin;
  private final ServerMetrics metrics;
  /** Requests per second per tunnel: the default and the tokens' overrides, refreshed from the database. */
  private final TunnelRateLimiter rateLimiter;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean ready;
  private boolean closing;

  private GrokServer(ServerConfig config) throws Exception {
    this.config = config;
    this.tokens = TokenStore.open(config.dataDir(), config.dbUrl(), config.dbUser(), config.dbPassword());
    EventLoops createdLoops = null;
    ScheduledExecutorService createdScheduler = null;
    EdgeHttpServer createdHttpsEdge = null;
    try {
      // Read first: a certificate that cannot be used stops the start before any port is bound.
      ServerTls tls = config.tlsCert() == null ? null : ServerTls.of(config.tlsCert(), config.tlsKey());
      SslContext edgeTls = tls == null ? null : tls.edgeContext();
      SslContext tunnelTls = tls == null ? null : tls.tunnelContext();
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
      this.metrics = new ServerMetrics(RequestLog.open(tokens.dataSource(), config.requestLog()));
      this.registry = new TunnelRegistry(config.maxTunnelsPerUser(), metrics);
      this.sessions = new SessionManager(tokens, scheduler);
      this.rateLimiter = new TunnelRateLimiter(config.throttles().rateLimit(), t -> t.owner().tokenId(),
          System::nanoTime);
      rateLimiter.refresh(tokens.rateLimits().all(), List.of());
      EdgeGuards guards = new EdgeGuards(metrics.rejections(), rateLimiter);
      EdgeGuardMetrics guardMetrics = new EdgeGuardMetrics(metrics.registry(), metrics.rejections());
      this.edge = EdgeHttpServer.start(loops, config.bind(), config.httpPort(), registry, config.domain(),
          config.responseTimeout(), null, metrics, config.edgeGuard(), guardMetrics, guards);
      if (edgeTls != null) {
        createdHttpsEdge = EdgeHttpServer.start(loops, config.bind(), config.httpsPort(), registry, config.domain(),
            config.responseTimeout(), edgeTls, metrics, config.edgeGuard(), guardMetrics, guards);
      }
      this.httpsEdge = createdHttpsEdge;
      this.tcpEdge = new EdgeTcpServer(loops, config.bind(), config.domain(), PortRange.parse(config.tcpPorts()), registry);
      metrics.bindGauges(() -> sessions.all().size(), registry::size, this::inFlight,
          () -> sessions.all().stream().mapToInt(s -> s.idleStreams()).sum());
      metrics.startSampling(scheduler);
      scheduler.scheduleWithFixedDelay(this::refreshRateLimits, RATE_LIMIT_REFRESH_SECONDS,
          RATE_LIMIT_REFRESH_SECONDS, TimeUnit.SECONDS);
      refreshOrgSlugs(); // before the tunnel port opens; then with the rate limits' period
      scheduler.scheduleWithFixedDelay(this::refreshOrgSlugs, RATE_LIMIT_REFRESH_SECONDS,
          RATE_LIMIT_REFRESH_SECONDS, TimeUnit.SECONDS);
      this.admin = AdminServer.start(loops, config.bind(), config.adminPort(), () -> ready,
          new AdminServer.Services(tokens, registry, sessions, metrics, publicUrlFormat()));
      CompressorRate.zstdBytesPerSecond(); // measured here, not on an event loop at the first auto tunnel
      TunnelService service = new TunnelService(sessions, new SessionContext(registry, tcpEdge, publicUrlFormat(),
          loops.size(), config.responseTimeout().toMillis()));
      TunnelPortLimits portLimits = new TunnelPortLimits(config.throttles().tunnelAuthTimeout(),
          config.throttles().maxUnauthenticatedConnections(), config.throttles().maxFailedAuthPerMinute(),
          config.throttles().failedAuthLockout(), metrics.rejections());
      NettyServerBuilder grpcBuilder = portLimits.configure(
          NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.tunnelPort())), tunnelTls);
      this.grpc = grpcBuilder
          .bossEventLoopGroup(loops.group())
          .workerEventLoopGroup(loops.group())
          .channelType(loops.serverChannelType())
          // Callbacks on the transport's event loop: the default executor costs 3-10x CPU per exchange.
          .directExecutor()
          .addStreamTracerFactory(metrics.wireTracer())
          .compressorRegistry(GrpcCodecs.compressors())
          .decompressorRegistry(GrpcCodecs.decompressors())
          // Exchange's Data frames are received without copying their bytes (common.frames).
          .addService(portLimits.intercept(() -> ExchangeMethods.serverDefinition(service.bindService()),
              new AuthInterceptor(tokens)))
          .maxInboundMessageSize(Limits.MAX_MESSAGE_BYTES)
          .flowControlWindow(Limits.STREAM_WINDOW_BYTES)
          .keepAliveTime(30, TimeUnit.SECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS)
          .build()
          .start();
    } catch (Exception | Error e) {
      if (createdHttpsEdge != null) {
        createdHttpsEdge.close();
      }
      tokens.close();
      if (createdScheduler != null) {
        createdScheduler.shutdownNow();
      }
      if (createdLoops != null) {
        createdLoops.close();
      }
      throw e;
    }
    metrics.requestLog().start(); // last: a start that failed above leaves no writer thread behind
    ready = true;
  }

  /**
   * The public URL of a tunnel, {@code %s} for its name: {@code https://NAME.DOMAIN:HTTPS_PORT} when the HTTPS edge
   * runs (what a user wants to share, as ngrok does; the HTTP edge serves the same tunnel), else
   * {@code http://NAME.DOMAIN:HTTP_PORT}; the port is left out when it is the scheme's default.
   */
  private String publicUrlFormat() {
    if (httpsEdge != null) {
      return "https://%s." + config.domain() + (httpsEdge.port() == 443 ? "" : ":" + httpsEdge.port());
    }
    return "http://%s." + config.domain() + (edge.port() == 80 ? "" : ":" + edge.port());
  }

  /**
   * Opens the database (migrations, zero-config admin token), binds every listener and returns once all are up.
   */
  public static GrokServer start(ServerConfig config) throws Exception {
    GrokServer server = new GrokServer(config);
    log.info("grok-server up: http :{}, {}tunnel :{}{}, admin :{}, domain {} ({})", server.httpPort(),
        server.httpsEdge == null ? "" : "https :" + server.httpsPort() + ", ", server.tunnelPort(),
        server.httpsEdge == null ? "" : " (TLS)", server.adminPort(), config.domain(),
        server.loops.isEpoll() ? "epoll" : "nio");
    return server;
  }

  /** The raw admin token when this start created it (zero-config first start), to print once. */
  public Optional<String> createdAdminToken() {
    return createdAdminToken;
  }

  public int httpPort() {
    return edge.port();
  }

  /** The HTTPS edge's port; -1 when the server has no certificate. */
  public int httpsPort() {
    return httpsEdge == null ? -1 : httpsEdge.port();
  }

  public int tunnelPort() {
    return grpc.getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  /** The TCP edge: one listener per live TCP tunnel. */
  public EdgeTcpServer tcpEdge() {
    return tcpEdge;
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
      tcpEdge.stopAccepting();
      if (httpsEdge != null) {
        httpsEdge.stopAccepting();
      }
      long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
      while (inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20); // a bounded drain poll; exchanges finish on their own loops
      }
      if (inFlight() > 0) {
        log.warn("stopping with {} exchanges (HTTP) and connections (TCP) still in flight after {} s", inFlight(),
            config.shutdownGrace().toSeconds());
      }
      sessions.goAwayAll("the server is shutting down");
      grpc.shutdown();
      if (!grpc.awaitTermination(1, TimeUnit.SECONDS)) {
        grpc.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
      }
      edge.close();
      tcpEdge.close();
      if (httpsEdge != null) {
        httpsEdge.close();
      }
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

  /** How often the tokens' rate-limit overrides are read again (and ended tunnels' buckets forgotten). */
  static final long RATE_LIMIT_REFRESH_SECONDS = 5;

  private void refreshRateLimits() {
    try {
      rateLimiter.refresh(tokens.rateLimits().all(), registry.all());
    } catch (RuntimeException e) {
      log.warn("cannot refresh the tokens' rate limits; retrying in {} s", RATE_LIMIT_REFRESH_SECONDS, e);
    }
  }

  /** The registry refuses names in another org's namespace ({@code NAME-ORGSLUG}): it learns the orgs here. */
  private void refreshOrgSlugs() {
    try {
      registry.orgSlugs(Accounts.of(tokens).users().orgs().stream().map(Org::slug).collect(Collectors.toSet()));
    } catch (RuntimeException e) {
      log.warn("cannot read the orgs; retrying in {} s", RATE_LIMIT_REFRESH_SECONDS, e);
    }
  }

  /** What a shutdown drains: HTTP exchanges in flight on both edges, and open TCP visitor connections. */
  private int inFlight() {
    return edge.inFlight() + (httpsEdge == null ? 0 : httpsEdge.inFlight()) + tcpEdge.openConnections();
  }

  /** Blocks until {@link #close()} has completed. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }
}
