package dev.grok.server.edge.tcp;

import dev.grok.common.EventLoops;
import dev.grok.common.Limits;
import dev.grok.server.registry.TcpListeners;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelOwner;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.registry.TunnelRegistry.Failure;
import dev.grok.server.registry.TunnelRegistry.RegistrationException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public side of TCP tunnels: a listener per live TCP tunnel, bound on {@code --bind} on the shared event
 * loops, on a port of the server's range. {@link #open} picks (or checks) the port, registers it and binds it;
 * {@link #release} unbinds it when its tunnel ends and remembers it for its user. A port taken over by a newer
 * session of the same user stays bound: only its owner in the registry changes.
 *
 * <p>Threads: open and release come from gRPC transport loops, bind results from edge loops; the port table is
 * guarded by {@code lock}. Nothing here blocks: binds complete asynchronously.
 */
public final class EdgeTcpServer implements TcpListeners, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeTcpServer.class);

  /** Ports a request for any port tries before giving up when binds keep failing (ports used by others). */
  static final int MAX_BIND_ATTEMPTS = 16;

  /**
   * How long a visitor connection waits for a free Exchange stream before it is closed. The client keeps idle
   * streams ahead of need and opens more on StreamDemand within a round trip, so a wait this long means the client
   * is stuck or gone; an HTTP exchange's wait is bounded by its response timeout instead (504).
   */
  public static final long STREAM_WAIT_MILLIS = 10_000;

  private final TunnelRegistry registry;
  private final String bind;
  private final String domain;
  private final ServerBootstrap bootstrap;
  private final AtomicLong exchangeIds = new AtomicLong();
  /** Visitor connections accepted and not yet closed, on every port: a graceful shutdown waits for zero. */
  private final AtomicInteger openConnections = new AtomicInteger();

  private final Object lock = new Object();
  /** Bound (or binding) listeners by port. Guarded by lock. */
  private final Map<Integer, PortListener> listeners = new HashMap<>();
  /** Guarded by lock. */
  private final TcpPorts ports;
  /** Set by {@link #stopAccepting()}: nothing is bound any more. Guarded by lock. */
  private boolean stopped;

  /** One bound port and the visitor connections it accepted. */
  private record PortListener(int port, ChannelFuture bound, ChannelGroup connections) {
    void close() {
      bound.channel().close();
      connections.close();
    }
  }

  /**
   * @param bind the address every TCP listener binds ({@code --bind})
   * @param domain the host in public URLs, {@code tcp://DOMAIN:PORT}
   */
  public EdgeTcpServer(EventLoops loops, String bind, String domain, PortRange range, TunnelRegistry registry) {
    this.registry = registry;
    this.bind = bind;
    this.domain = domain;
    this.ports = new TcpPorts(range, System::nanoTime);
    this.bootstrap = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // One socket read is at most one Data frame.
        .childOption(ChannelOption.RCVBUF_ALLOCATOR,
            new AdaptiveRecvByteBufAllocator(512, 16 * 1024, Limits.MAX_CHUNK_BYTES))
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES));
  }

  /** The public URL of a TCP tunnel on {@code port}: {@code tcp://DOMAIN:PORT}. */
  @Override
  public String publicUrl(int port) {
    return "tcp://" + domain + ":" + port;
  }

  public PortRange range() {
    return ports.range();
  }

  /**
   * Opens a TCP tunnel of {@code user} on {@code requestedPort} (0: any port, the user's last one first). Completes
   * with the registered tunnel once its port is bound, or with a {@link RegistrationException}: ALREADY_TAKEN (held
   * by another user), LIMIT_REACHED (the user's limit, or no free port left), INVALID_PORT (outside the range or
   * not bindable).
   */
  @Override
  public CompletableFuture<Tunnel> open(int requestedPort, int tunnelId, String user, TunnelOwner owner) {
    CompletableFuture<Tunnel> result = new CompletableFuture<>();
    attempt(requestedPort, tunnelId, user, owner, new HashSet<>(), result);
    return result;
  }

  private void attempt(int requested, int tunnelId, String user, TunnelOwner owner, Set<Integer> failed,
      CompletableFuture<Tunnel> result) {
    Tunnel tunnel;
    PortListener listener;
    synchronized (lock) {
      try {
        if (stopped) {
          throw new RegistrationException(Failure.INVALID_PORT, "the server is shutting down");
        }
        int port = requested != 0 ? checkRequested(requested) : pick(user, failed);
        tunnel = registry.registerPort(port, tunnelId, user, owner);
        ports.forget(port);
        listener = listeners.get(port);
        if (listener == null) {
          listener = bind(port);
          listeners.put(port, listener);
        }
      } catch (RegistrationException e) {
        result.completeExceptionally(e);
        return;
      }
    }
    PortListener l = listener;
    l.bound().addListener(f -> {
      if (f.isSuccess()) {
        result.complete(tunnel);
        return;
      }
      synchronized (lock) {
        listeners.remove(l.port(), l);
      }
      registry.unregister(tunnel);
      String why = f.cause() == null ? "closed" : String.valueOf(f.cause().getMessage());
      log.info("TCP port {} cannot be bound on {}: {}", l.port(), bind, why);
      if (requested != 0) {
        result.completeExceptionally(new RegistrationException(Failure.INVALID_PORT, "TCP port " + requested
            + " cannot be bound on " + bind + " (" + why + "); choose another --remote-port or leave it out"));
      } else if (failed.size() + 1 >= MAX_BIND_ATTEMPTS) {
        result.completeExceptionally(new RegistrationException(Failure.INVALID_PORT, "no TCP port of "
            + ports.range() + " could be bound on " + bind + " after " + MAX_BIND_ATTEMPTS + " attempts (last: "
            + why + ")"));
      } else {
        failed.add(l.port());
        attempt(requested, tunnelId, user, owner, failed, result);
      }
    });
  }

  /** Caller holds lock. */
  private int checkRequested(int port) throws RegistrationException {
    if (!ports.range().contains(port)) {
      throw new RegistrationException(Failure.INVALID_PORT, "TCP port " + port + " is outside this server's range "
          + ports.range() + " (--tcp-ports); choose a port in it or leave --remote-port out");
    }
    return port;
  }

  /** Caller holds lock. */
  private int pick(String user, Set<Integer> failed) throws RegistrationException {
    int port = ports.pick(user, p -> failed.contains(p) || listeners.containsKey(p) || registry.lookupPort(p) != null);
    if (port < 0) {
      throw new RegistrationException(Failure.LIMIT_REACHED, "no free TCP port left in " + ports.range()
          + " (limit of the server's --tcp-ports range); try again later");
    }
    return port;
  }

  /** Caller holds lock. Starts binding {@code port}; the result arrives on an edge loop. */
  private PortListener bind(int port) {
    ChannelGroup connections = new DefaultChannelGroup("tcp-" + port, GlobalEventExecutor.INSTANCE);
    ChannelFuture bound = bootstrap.clone()
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            openConnections.incrementAndGet();
            ch.closeFuture().addListener(closed -> openConnections.decrementAndGet());
            ch.pipeline().addLast("tcp", new EdgeTcpExchange(EdgeTcpServer.this, port));
          }
        })
        .bind(bind, port);
    return new PortListener(port, bound, connections);
  }

  /**
   * {@code tunnel} was unregistered: unbind its port and close its visitor connections, unless a newer session of
   * the same user took the port over meanwhile. The port stays reserved for the user for a while.
   */
  @Override
  public void release(Tunnel tunnel) {
    synchronized (lock) {
      if (registry.lookupPort(tunnel.port()) != null) {
        return;
      }
      PortListener l = listeners.remove(tunnel.port());
      if (l != null) {
        l.close();
      }
      if (!stopped) {
        ports.remember(tunnel.user(), tunnel.port());
      }
    }
    log.info("TCP port {} released (user {})", tunnel.port(), tunnel.user());
  }

  TunnelRegistry registry() {
    return registry;
  }

  long nextExchangeId() {
    return exchangeIds.incrementAndGet();
  }

  /** Visitor connections open now, on every port (shutdown drains them like HTTP exchanges). */
  public int openConnections() {
    return openConnections.get();
  }

  /** Ports bound now (for tests and gauges). */
  public int boundPorts() {
    synchronized (lock) {
      return listeners.size();
    }
  }

  /** Shutdown, first phase: no more visitors on any port (connections in progress continue). */
  public void stopAccepting() {
    List<PortListener> all;
    synchronized (lock) {
      stopped = true;
      all = new ArrayList<>(listeners.values());
    }
    for (PortListener l : all) {
      l.bound().channel().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    stopAccepting();
    List<PortListener> all;
    synchronized (lock) {
      all = new ArrayList<>(listeners.values());
      listeners.clear();
    }
    for (PortListener l : all) {
      l.connections().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }
}
