package dev.grok.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A pool of HTTP/1.1 keep-alive connections to the edge, one request at a time on each, all on one event loop (the
 * pool's state is confined to it: {@link #submit} hands work over). Work that finds no idle connection waits in
 * order and a new connection is opened, up to {@code maxConnections}; its latency keeps counting from its intended
 * time, so a stall of the tunnel shows as latency, not as a lower send rate. The most recently used connection is
 * taken first, and the pool closes connections idle for {@link #IDLE_CLOSE_NANOS} itself, well before the edge's
 * idle timeout (75 s by default), so that it never sends a request on a connection the edge is closing.
 */
final class HttpLoad {
  /** Idle pooled connections older than this are closed by the pool. */
  static final long IDLE_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(20);
  /** An exchange not complete after this counts as failed (and its connection is closed). */
  static final long EXCHANGE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** The 1 MiB upload body, shared by every upload (never released: each write takes a duplicate). */
  static final ByteBuf UPLOAD_BODY;

  static {
    byte[] bytes = new byte[(int) Kind.UPLOAD_1M.bodyBytes];
    new Random(13).nextBytes(bytes);
    UPLOAD_BODY = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
  }

  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final InetSocketAddress edge;
  /** The Host header: {@code NAME.localhost:PORT}. */
  final String host;
  private final int maxConnections;

  // Owned by loop.
  private final ArrayDeque<HttpConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private int connections;
  private int connecting;
  private int mostConnections;

  /** One piece of work: what to send, when it was meant to be sent, where its outcome is counted. */
  record Exchange(Kind kind, long intendedNanos, LoadStats stats) {}

  HttpLoad(EventLoop loop, Class<? extends SocketChannel> channelType, InetSocketAddress edge, String host,
      int maxConnections) {
    this.loop = loop;
    this.channelType = channelType;
    this.edge = edge;
    this.host = host;
    this.maxConnections = maxConnections;
    loop.scheduleAtFixedRate(this::closeStale, 5, 5, TimeUnit.SECONDS);
  }

  /** Sends {@code kind} as soon as a connection is free, its outcome counted in {@code stats}; thread-safe. */
  void submit(Kind kind, long intendedNanos, LoadStats stats) {
    loop.execute(() -> {
      waiting.addLast(new Exchange(kind, intendedNanos, stats));
      drain();
    });
  }

  /** The most connections open at once so far (read from any thread: a monitoring figure). */
  int mostConnections() {
    return mostConnections;
  }

  /** Connections open now (any thread; a monitoring figure). */
  int connections() {
    return connections;
  }

  private void drain() {
    while (!waiting.isEmpty()) {
      HttpConnection c = takeIdle();
      if (c == null) {
        while (connecting < waiting.size() && connections + connecting < maxConnections) {
          connect();
        }
        return;
      }
      c.start(waiting.pollFirst());
    }
  }

  private HttpConnection takeIdle() {
    long now = System.nanoTime();
    HttpConnection c;
    while ((c = idle.pollLast()) != null) {
      if (c.channel.isActive() && now - c.idleSinceNanos < IDLE_CLOSE_NANOS) {
        return c;
      }
      c.channel.close();
    }
    return null;
  }

  private void closeStale() {
    long now = System.nanoTime();
    while (!idle.isEmpty() && now - idle.peekFirst().idleSinceNanos >= IDLE_CLOSE_NANOS) {
      idle.pollFirst().channel.close();
    }
  }

  private void connect() {
    connecting++;
    HttpConnection handler = new HttpConnection(this);
    ChannelFuture f = new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec()).addLast(handler);
          }
        })
        .connect(edge);
    f.addListener((ChannelFuture done) -> {
      connecting--;
      if (done.isSuccess()) {
        connections++;
        mostConnections = Math.max(mostConnections, connections);
        handler.channel = done.channel();
        done.channel().closeFuture().addListener(x -> {
          connections--;
          drain(); // work waiting for a connection may open a new one now
        });
        released(handler);
      } else {
        // Not a pool problem: the edge refused or did not answer. The oldest waiting exchange fails with it.
        Exchange x = waiting.pollFirst();
        if (x != null) {
          x.stats().failed(x.kind(), x.intendedNanos(), "connect to " + edge + ": " + done.cause());
        }
        drain();
      }
    });
  }

  /** {@code c} finished an exchange (or just connected) and can take the next one; on the loop. */
  void released(HttpConnection c) {
    c.idleSinceNanos = System.nanoTime();
    idle.addLast(c);
    drain();
  }

  /** Schedules {@code task} on the pool's loop after {@code nanos}. */
  io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return loop.schedule(task, nanos, TimeUnit.NANOSECONDS);
  }
}
