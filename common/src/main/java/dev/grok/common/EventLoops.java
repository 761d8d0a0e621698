package dev.grok.common;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * One event-loop group per process, shared by every listener, the gRPC transport and the client's local
 * connections: a separate group for gRPC measured +40% CPU per exchange (a thread hop per message). Native epoll
 * when the platform has it, NIO otherwise.
 */
public final class EventLoops implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll;

  private EventLoops(EventLoopGroup group, boolean epoll) {
    this.group = group;
    this.epoll = epoll;
  }

  /**
   * Creates a group of {@code threads} loops (0: Netty's default, two per core). The system property
   * {@code grok.eventLoops}, when set, overrides the count (for measurements).
   */
  public static EventLoops create(String name, int threads) {
    threads = Integer.getInteger("grok.eventLoops", threads);
    if (threads < 0) {
      throw new IllegalArgumentException("grok.eventLoops: " + threads + " (expected: >= 0)");
    }
    boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("grok.nio");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    return new EventLoops(group, epoll);
  }

  public EventLoopGroup group() {
    return group;
  }

  /** The number of loops in the group. */
  public int size() {
    int n = 0;
    for (EventExecutor ignored : group) {
      n++;
    }
    return n;
  }

  public boolean isEpoll() {
    return epoll;
  }

  public Class<? extends ServerSocketChannel> serverChannelType() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> channelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * The loop at {@code index} (modulo the count): a fixed placement. A gRPC channel built on the whole group takes
   * {@code group.next()}, and other callers of {@code next()} in between can put two channels on one loop.
   */
  public EventLoop loop(int index) {
    int i = Math.floorMod(index, size());
    for (EventExecutor executor : group) {
      if (i-- == 0) {
        return (EventLoop) executor;
      }
    }
    throw new IllegalStateException("no event loop");
  }

  /** The loop of the calling thread, or the next loop of the group when the caller is not one of ours. */
  public EventLoop currentOrNext() {
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return (EventLoop) executor;
      }
    }
    return group.next();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
