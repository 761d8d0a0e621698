package dev.grok.client.forward;

import dev.grok.common.EventLoops;
import dev.grok.protocol.v1.RequestHead;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Forwards exchanges to one local service over keep-alive HTTP/1.1 connections, pooled per event loop. An exchange
 * runs on the loop of the tunnel callback that started it, so its tunnel stream and its local connection share a
 * thread. An {@code https} target is reached over TLS without certificate checks: it is the developer's own local
 * service, typically with a self-signed certificate.
 */
public final class LocalForwarder implements AutoCloseable {
  /** Idle keep-alive connections kept per event loop; more are closed when their exchange ends. */
  public static final int MAX_IDLE_PER_LOOP = 256;
  /** An idle keep-alive connection unused this long is closed. */
  public static final long IDLE_TIMEOUT_MILLIS = 60_000;

  private final EventLoops loops;
  private final String host;
  private final int port;
  private final HostRule hostRule;
  /** The target's addresses, resolved once at start (never on an event loop); never empty. */
  private final List<InetSocketAddress> addresses;
  /** Index in {@link #addresses} of the address that accepted the last connection. */
  private volatile int preferredAddress;
  /** One pool per loop of the group, fixed at construction; each pool is only touched from its own loop. */
  private final Map<EventLoop, LocalConnectionPool> pools = new IdentityHashMap<>();
  /** Makes an observer for every exchange; {@link ExchangeObserver.Factory#NONE} when nobody watches. */
  private final ExchangeObserver.Factory observers;

  /**
   * @param tls true for an {@code https} target
   */
  public LocalForwarder(EventLoops loops, String host, int port, boolean tls, HostRule hostRule) {
    this(loops, host, port, tls, hostRule, ExchangeObserver.Factory.NONE);
  }

  /** Like the other constructor, with an observer of every exchange. */
  public LocalForwarder(EventLoops loops, String host, int port, boolean tls, HostRule hostRule,
      ExchangeObserver.Factory observers) {
    this.observers = Objects.requireNonNull(observers, "observers");
    this.loops = Objects.requireNonNull(loops, "loops");
    this.host = Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    this.port = port;
    this.hostRule = Objects.requireNonNull(hostRule, "hostRule");
    this.addresses = resolve(host, port);
    SslContext sslContext = tls ? clientTls() : null;
    for (EventExecutor executor : loops.group()) {
      EventLoop loop = (EventLoop) executor;
      pools.put(loop, new LocalConnectionPool(loop, this, loops.channelType(), sslContext));
    }
  }

  /** The loop an exchange started now would run on: the caller's when it is one of ours. */
  public EventLoop loop() {
    return loops.currentOrNext();
  }

  /**
   * Starts forwarding one exchange. Must be called on {@code loop}; every later call into the returned exchange
   * must be made on it too, and every call the exchange makes into {@code tunnel} happens on it.
   */
  public LocalExchange start(EventLoop loop, RequestHead head, TunnelSink tunnel) {
    LocalConnectionPool pool = pools.get(loop);
    if (pool == null || !loop.inEventLoop()) {
      throw new IllegalStateException("start: not on one of the forwarder's event loops");
    }
    LocalExchange exchange = new LocalExchange(this, pool, head, tunnel);
    exchange.start(head, hostRule);
    return exchange;
  }

  /** Idle connections of the calling loop's pool (0 when the caller is not one of our loops). */
  int idleConnections(EventLoop loop) {
    LocalConnectionPool pool = pools.get(loop);
    return pool == null ? 0 : pool.idleCount();
  }

  ExchangeObserver.Factory observers() {
    return observers;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** {@code host:port} as used in failure messages. */
  String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  List<InetSocketAddress> addresses() {
    return addresses;
  }

  int preferredAddress() {
    return preferredAddress;
  }

  void preferAddress(int index) {
    preferredAddress = index;
  }

  /** Closes the idle connections of every loop (connections in use close with their exchange). */
  @Override
  public void close() {
    for (LocalConnectionPool pool : pools.values()) {
      if (!pool.loop().isShuttingDown()) {
        pool.loop().execute(pool::closeAll);
      }
    }
  }

  private static List<InetSocketAddress> resolve(String host, int port) {
    List<InetSocketAddress> out = new ArrayList<>();
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        out.add(new InetSocketAddress(a, port));
      }
    } catch (UnknownHostException e) {
      // Not resolvable now: let each connect try again (and fail with "unknown host" while it still is not).
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return List.copyOf(out);
  }

  private static SslContext clientTls() {
    try {
      return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS to the local service: " + e.getMessage(), e);
    }
  }
}
