package dev.grok.client.forward;

import dev.grok.common.Limits;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * Keep-alive connections to the local service of one event loop: every connection here lives on that loop and is
 * only touched from it, so the pool needs no lock. At most {@link LocalHttpForwarder#MAX_IDLE_PER_LOOP} idle connections
 * are kept, each closed after {@link LocalHttpForwarder#IDLE_TIMEOUT_MILLIS} unused.
 */
final class LocalConnectionPool {
  private final EventLoop loop;
  private final LocalHttpForwarder forwarder;
  private final Bootstrap bootstrap;
  /** Idle connections, most recently used last (reused first: its socket is the warmest). Loop-owned. */
  private final ArrayDeque<LocalConnectionHandler> idle = new ArrayDeque<>();
  /** Set by {@link #closeAll()}: released connections are closed from then on. Loop-owned. */
  private boolean closed;

  LocalConnectionPool(EventLoop loop, LocalHttpForwarder forwarder, Class<? extends Channel> channelType,
      SslContext tls) {
    this.loop = loop;
    this.forwarder = forwarder;
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(Limits.MAX_INITIAL_LINE_BYTES)
        .setMaxHeaderSize(Limits.MAX_HEADER_BYTES)
        .setMaxChunkSize(Limits.MAX_CHUNK_BYTES);
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Limits.LOCAL_CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), forwarder.host(), forwarder.port()));
            }
            // No aggregation, ever: bodies stream through in chunks of at most MAX_CHUNK_BYTES.
            ch.pipeline().addLast("http", new HttpClientCodec(decoder, false, false));
            ch.pipeline().addLast("local", new LocalConnectionHandler(LocalConnectionPool.this));
          }
        });
  }

  EventLoop loop() {
    return loop;
  }

  /** An open idle connection, or null when there is none. */
  LocalConnectionHandler pollIdle() {
    LocalConnectionHandler h;
    while ((h = idle.pollLast()) != null) {
      if (h.channel().isActive()) {
        return h;
      }
    }
    return null;
  }

  /** Opens a new connection, trying each address of the target once, the one that answered last first. */
  Future<LocalConnectionHandler> connect() {
    Promise<LocalConnectionHandler> promise = loop.newPromise();
    forwarder.target().connect(bootstrap, loop).addListener((Future<Channel> f) -> {
      if (f.isSuccess()) {
        promise.setSuccess(f.getNow().pipeline().get(LocalConnectionHandler.class));
      } else {
        promise.setFailure(f.cause());
      }
    });
    return promise;
  }

  /** Takes back a connection whose last exchange ended cleanly; closes it when the pool is full or closed. */
  void release(LocalConnectionHandler h) {
    if (closed || idle.size() >= LocalHttpForwarder.MAX_IDLE_PER_LOOP || !h.channel().isActive()) {
      h.detach();
      h.channel().close();
      return;
    }
    h.pooled(LocalHttpForwarder.IDLE_TIMEOUT_MILLIS);
    idle.addLast(h);
  }

  /** Forgets a connection that closed (a no-op when it was not idle). */
  void remove(LocalConnectionHandler h) {
    idle.remove(h);
  }

  int idleCount() {
    return idle.size();
  }

  /** Closes every idle connection; connections in use close when their exchange ends. */
  void closeAll() {
    closed = true;
    LocalConnectionHandler h;
    while ((h = idle.pollLast()) != null) {
      h.channel().close();
    }
  }
}
