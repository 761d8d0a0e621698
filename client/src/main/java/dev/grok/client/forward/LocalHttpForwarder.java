package dev.grok.client.forward;

import dev.grok.common.EventLoops;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ServerFrame;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Forwards exchanges to one local service over keep-alive HTTP/1.1 connections, pooled per event loop. An exchange
 * runs on the loop of the tunnel callback that started it, so its tunnel stream and its local connection share a
 * thread. An {@code https} target is reached over TLS without certificate checks: it is the developer's own local
 * service, typically with a self-signed certificate.
 */
public final class LocalHttpForwarder implements Forwarder {
  /** Idle keep-alive connections kept per event loop; more are closed when their exchange ends. */
  public static final int MAX_IDLE_PER_LOOP = 256;
  /** An idle keep-alive connection unused this long is closed. */
  public static final long IDLE_TIMEOUT_MILLIS = 60_000;

  private final EventLoops loops;
  private final LocalAddresses target;
  private final HostRule hostRule;
  /** One pool per loop of the group, fixed at construction; each pool is only touched from its own loop. */
  private final Map<EventLoop, LocalConnectionPool> pools = new IdentityHashMap<>();
  /** Makes an observer for every exchange; {@link ExchangeObserver.Factory#NONE} when nobody watches. */
  private final ExchangeObserver.Factory observers;

  /**
   * @param tls true for an {@code https} target
   */
  public LocalHttpForwarder(EventLoops loops, String host, int port, boolean tls, HostRule hostRule) {
    this(loops, host, port, tls, hostRule, ExchangeObserver.Factory.NONE);
  }

  /** Like the other constructor, with an observer of every exchange. */
  public LocalHttpForwarder(EventLoops loops, String host, int port, boolean tls, HostRule hostRule,
      ExchangeObserver.Factory observers) {
    this.observers = Objects.requireNonNull(observers, "observers");
    this.loops = Objects.requireNonNull(loops, "loops");
    this.target = new LocalAddresses(Objects.requireNonNull(host, "host"), port);
    this.hostRule = Objects.requireNonNull(hostRule, "hostRule");
    SslContext sslContext = tls ? clientTls() : null;
    for (EventExecutor executor : loops.group()) {
      EventLoop loop = (EventLoop) executor;
      pools.put(loop, new LocalConnectionPool(loop, this, loops.channelType(), sslContext));
    }
  }

  /** The loop an exchange started now would run on: the caller's when it is one of ours. */
  @Override
  public EventLoop loop() {
    return loops.currentOrNext();
  }

  /**
   * Starts forwarding one exchange. Must be called on {@code loop}; every later call into the returned exchange
   * must be made on it too, and every call the exchange makes into {@code tunnel} happens on it.
   */
  public LocalHttpExchange start(EventLoop loop, RequestHead head, TunnelSink tunnel) {
    LocalConnectionPool pool = pools.get(loop);
    if (pool == null || !loop.inEventLoop()) {
      throw new IllegalStateException("start: not on one of the forwarder's event loops");
    }
    LocalHttpExchange exchange = new LocalHttpExchange(this, pool, head, tunnel);
    exchange.start(head, hostRule);
    return exchange;
  }

  /** Starts an HTTP exchange for a RequestHead; null for any other opening frame (this forwarder is HTTP only). */
  @Override
  public TunnelExchange start(EventLoop loop, ServerFrame opening, TunnelSink tunnel) {
    return opening.hasRequestHead() ? start(loop, opening.getRequestHead(), tunnel) : null;
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
    return target.host();
  }

  int port() {
    return target.port();
  }

  /** {@code host:port} as used in failure messages. */
  String authority() {
    return target.authority();
  }

  LocalAddresses target() {
    return target;
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

  private static SslContext clientTls() {
    try {
      return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS to the local service: " + e.getMessage(), e);
    }
  }
}
