package dev.grok.it;

import dev.grok.client.ClientConfig;
import dev.grok.client.TunnelTls;
import dev.grok.common.EventLoops;
import dev.grok.server.ServerConfig;
import dev.grok.testing.FreePort;
import dev.grok.testing.origin.Fault;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.websocket.WebSocketEchoOrigin;
import dev.grok.testing.websocket.WebSocketVisitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up end-to-end tests share, as a JUnit extension (after Armeria's {@code NettyServerExtension}): a
 * {@link TestServer}, a local service ({@link Origin}) and a ready {@link TestClient} forwarding {@code NAME} to it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OneTunnel tunnel = OneTunnel.builder("demo").responseTimeout(Duration.ofSeconds(1)).build();
 * }</pre>
 *
 * <p>A static field starts it once before the class's {@code @BeforeAll} methods and closes it after its {@code
 * @AfterAll} ones; an instance field does the same around every test. What a test starts besides (more clients,
 * threads, a browser) it hands to {@link #closing} or starts through {@link #readyClient}, and it is closed with
 * the rest: everything in reverse order of start (so the client before the server, the server before the local
 * service), each close attempted whatever the others did, what failed to start skipped.
 */
final class OneTunnel
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
  /** The local service the client forwards to. */
  enum Origin {
    /** A {@link LocalHttpOrigin}: echo, bytes, stall, fault routes. */
    HTTP,
    /** A {@link WebSocketEchoOrigin}, with a visitor event loop for {@link #openWebSocket}. */
    WEBSOCKET,
    /** A {@link LocalTcpService#echo()}, and the client is a {@code grok tcp} one. */
    TCP_ECHO,
    /** None: the client (if any) forwards to a port where nothing listens (or serves files, see clientConfig). */
    NONE
  }

  private final Builder spec;
  /** Test thread only; every field below is null while stopped. */
  private Path dataDir;
  private boolean ownsDataDir;
  private TestServer server;
  private AutoCloseable origin;
  private TestClient client;
  private EventLoops visitorLoops;
  /** The first and last public TCP port with {@code tcpPorts(count)}; 0 without. */
  private int lowTcpPort;
  private int highTcpPort;
  /** What to close, the last started first. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  /** True when started by {@link #beforeAll}: then the per-test callbacks leave it alone. */
  private boolean perClass;

  private OneTunnel(Builder spec) {
    this.spec = spec;
  }

  /** A server with the tests' defaults, a {@link Origin#HTTP} origin and a ready client for tunnel {@code name}. */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Like {@link #builder(String)} without a main client: the test starts its own (with {@link #clientConfig} and
   * {@link #readyClient}).
   */
  static Builder builder() {
    return new Builder(null);
  }

  /** The default set-up, started now in {@code dataDir} (for code that is not a JUnit test class). */
  static OneTunnel start(Path dataDir, String name) {
    OneTunnel t = builder(name).dataDir(dataDir).build();
    t.start();
    return t;
  }

  /** Like {@link #start(Path, String)} with the server config {@code config} (its data dir is used). */
  static OneTunnel start(ServerConfig config, String name) {
    OneTunnel t = builder(name).dataDir(config.dataDir()).server(c -> config).build();
    t.start();
    return t;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }

  void start() {
    try {
      if (spec.dataDir != null) {
        dataDir = spec.dataDir;
      } else {
        dataDir = Files.createTempDirectory("grok-it-");
        ownsDataDir = true;
      }
      origin = switch (spec.origin) {
        case HTTP -> LocalHttpOrigin.start();
        case WEBSOCKET -> WebSocketEchoOrigin.start();
        case TCP_ECHO -> LocalTcpService.echo();
        case NONE -> null;
      };
      closing(origin);
      if (origin instanceof LocalHttpOrigin http) {
        if (spec.fault != null) {
          http.setFault(spec.fault);
        }
        spec.routes.accept(http);
      }
      server = closing(TestServer.start(serverConfig()));
      if (spec.origin == Origin.WEBSOCKET) {
        visitorLoops = closing(EventLoops.create("visitors", 1));
      }
      if (spec.name != null) {
        client = spec.origin == Origin.TCP_ECHO
            ? closing(TestClient.readyTcp(server, server.adminToken(), target(), 0))
            : readyClient(clientConfig(spec.name));
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot make a data directory", e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private ServerConfig serverConfig() {
    ServerConfig c = spec.server.apply(ServerConfig.forTests(dataDir));
    if (spec.tcpPorts > 0) {
      lowTcpPort = FreePort.findRange(spec.tcpPorts);
      highTcpPort = lowTcpPort + spec.tcpPorts - 1;
      c = TestServer.withTcpPorts(c, lowTcpPort, highTcpPort);
    }
    return spec.tls ? TestServer.withTls(c) : c;
  }

  /** Where the main client forwards to: the origin's {@code HOST:PORT} (or bare port), or a port nobody uses. */
  private String target() {
    String hostAndPort = switch (origin) {
      case LocalHttpOrigin http -> spec.barePort ? String.valueOf(http.port()) : http.hostAndPort();
      case WebSocketEchoOrigin ws -> ws.hostAndPort();
      case LocalTcpService tcp -> tcp.hostAndPort();
      case null -> "127.0.0.1:" + FreePort.find(); // bound and released: nothing listens there
      default -> throw new IllegalStateException("unknown origin " + origin);
    };
    return hostAndPort;
  }

  /**
   * A client config of this server for tunnel {@code name} with the admin token, forwarding where the main client
   * does (with its TLS trust, host header and the builder's {@code client(..)} options), for a test's own clients.
   */
  ClientConfig clientConfig(String name) {
    String token = server().adminToken();
    ClientConfig c = spec.tls
        ? TestClient.tlsConfig(server, token, name, target(), spec.hostHeader, TunnelTls.trust(server.certificate()))
        : TestClient.config(server, token, name, target(), spec.hostHeader);
    return spec.client.apply(c);
  }

  /** A {@code grok serve} config of this server for tunnel {@code name}, answering from {@code options}' root. */
  ClientConfig serveConfig(String name, ClientConfig.ServeOptions options) {
    return spec.client.apply(TestClient.config(server(), server.adminToken(), name, null).withServe(options));
  }

  /** Starts a client of {@code config}, waits until its tunnel is ready, and closes it with the fixture. */
  TestClient readyClient(ClientConfig config) {
    return closing(TestClient.ready(config));
  }

  /** Closes {@code resource} (null: nothing) with the fixture, before what had started earlier. */
  <T extends AutoCloseable> T closing(T resource) {
    if (resource != null) {
      started.push(resource);
    }
    return resource;
  }

  TestServer server() {
    return running(server, "server");
  }

  /** The {@link Origin#HTTP} origin. */
  LocalHttpOrigin origin() {
    return running(origin, LocalHttpOrigin.class);
  }

  /** The {@link Origin#WEBSOCKET} origin. */
  WebSocketEchoOrigin webSocketOrigin() {
    return running(origin, WebSocketEchoOrigin.class);
  }

  /** The {@link Origin#TCP_ECHO} service. */
  LocalTcpService tcpService() {
    return running(origin, LocalTcpService.class);
  }

  /** The main client, ready. */
  TestClient client() {
    return running(client, "main client (expected: OneTunnel.builder(NAME))");
  }

  /** The first public TCP port of the server (built with {@code tcpPorts}). */
  int lowTcpPort() {
    return lowTcpPort;
  }

  /** The last public TCP port of the server (built with {@code tcpPorts}). */
  int highTcpPort() {
    return highTcpPort;
  }

  /** The directory of the server's data ({@code admin.token}, the database, certificates). */
  Path dataDir() {
    return running(dataDir, "data directory");
  }

  /** The Host a visitor sends to reach the main tunnel. */
  String host() {
    return server().host(running(spec.name, "main client (expected: OneTunnel.builder(NAME))"));
  }

  /** The Host a visitor sends to reach tunnel {@code name}. */
  String host(String name) {
    return server().host(name);
  }

  int httpPort() {
    return server().httpPort();
  }

  /** A WebSocket visitor of tunnel {@code name} at {@code pathAndQuery}, its handshake done within {@code wait}. */
  WebSocketVisitor openWebSocket(String name, String pathAndQuery, Duration wait) throws Exception {
    EventLoops loops = running(visitorLoops, "visitor loops (Origin.WEBSOCKET only)");
    return WebSocketVisitor.open(loops.group(), loops.channelType(), httpPort(), webSocketUri(name, pathAndQuery),
        wait);
  }

  /** Starts the handshake of a WebSocket visitor of tunnel {@code name}; the future completes once it is open. */
  CompletableFuture<WebSocketVisitor> connectWebSocket(String name, String pathAndQuery) {
    EventLoops loops = running(visitorLoops, "visitor loops (Origin.WEBSOCKET only)");
    return WebSocketVisitor.connect(loops.group(), loops.channelType(), httpPort(), webSocketUri(name, pathAndQuery));
  }

  private URI webSocketUri(String name, String pathAndQuery) {
    return URI.create("ws://" + host(name) + pathAndQuery);
  }

  private static <T> T running(T value, String what) {
    if (value == null) {
      throw new IllegalStateException("no " + what + " (expected: the fixture started and built with it)");
    }
    return value;
  }

  private <T> T running(Object value, Class<T> type) {
    if (!type.isInstance(value)) {
      throw new IllegalStateException("the origin is " + spec.origin + " (expected: " + type.getSimpleName() + ")");
    }
    return type.cast(value);
  }

  /** Closes everything started, the last started first; the first failure is thrown, later ones suppressed. */
  @Override
  public void close() {
    AssertionError failure = null;
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception | Error e) {
        if (failure == null) {
          failure = new AssertionError("closing " + c + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (ownsDataDir) {
      deleteTree(dataDir);
    }
    server = null;
    origin = null;
    client = null;
    visitorLoops = null;
    lowTcpPort = 0;
    highTcpPort = 0;
    dataDir = null;
    ownsDataDir = false;
    if (failure != null) {
      throw failure;
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory fails nothing
    }
  }

  /** What to start; every option has the tests' default. */
  static final class Builder {
    /** The main client's tunnel, or null for none. */
    private final String name;
    private Path dataDir;
    private UnaryOperator<ServerConfig> server = UnaryOperator.identity();
    private int tcpPorts;
    private boolean tls;
    private Origin origin = Origin.HTTP;
    private Fault fault;
    private Consumer<LocalHttpOrigin> routes = o -> {};
    private UnaryOperator<ClientConfig> client = UnaryOperator.identity();
    private String hostHeader = "rewrite";
    private boolean barePort;

    private Builder(String name) {
      this.name = name;
    }

    /** The server's data here instead of a fresh temporary directory (kept after close). */
    Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Changes the tests' server settings ({@link ServerConfig#forTests}): {@code c -> c.withMaxTunnelsPerUser(1)}. */
    Builder server(UnaryOperator<ServerConfig> change) {
      UnaryOperator<ServerConfig> before = server;
      server = c -> change.apply(before.apply(c));
      return this;
    }

    Builder responseTimeout(Duration timeout) {
      return server(c -> c.withResponseTimeout(timeout));
    }

    Builder shutdownGrace(Duration grace) {
      return server(c -> TestServer.withShutdownGrace(c, grace));
    }

    /** TCP tunnels on {@code count} consecutive free ports (see {@link FreePort#findRange}). */
    Builder tcpPorts(int count) {
      this.tcpPorts = count;
      return this;
    }

    /** A self-signed certificate for {@code localhost}: HTTPS edge, TLS tunnel port, clients that trust it. */
    Builder tls() {
      this.tls = true;
      return this;
    }

    Builder origin(Origin kind) {
      this.origin = kind;
      return this;
    }

    /** The {@link Origin#HTTP} origin misbehaves this way for every request. */
    Builder originFault(Fault f) {
      this.fault = f;
      return this;
    }

    /** Adds routes to the {@link Origin#HTTP} origin before any client starts. */
    Builder routes(Consumer<LocalHttpOrigin> add) {
      Consumer<LocalHttpOrigin> before = routes;
      routes = before.andThen(add);
      return this;
    }

    /** Client options of every {@link #clientConfig}, e.g. {@code c -> c.withCompression(GZIP)}, basic auth. */
    Builder client(UnaryOperator<ClientConfig> change) {
      UnaryOperator<ClientConfig> before = client;
      client = c -> change.apply(before.apply(c));
      return this;
    }

    /** The clients' {@code --host-header} rule ({@code rewrite}, {@code preserve} or a name). */
    Builder hostHeader(String rule) {
      this.hostHeader = rule;
      return this;
    }

    /** Clients forward to the HTTP origin's bare port, as {@code grok http 3000} (Host: localhost:PORT). */
    Builder barePort() {
      this.barePort = true;
      return this;
    }

    OneTunnel build() {
      return new OneTunnel(this);
    }
  }
}
