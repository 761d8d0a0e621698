package dev.grok.client.files;

import dev.grok.client.ClientConfig.ServeOptions;
import dev.grok.client.forward.Forwarder;
import dev.grok.client.forward.TunnelExchange;
import dev.grok.client.forward.TunnelSink;
import dev.grok.common.EventLoops;
import dev.grok.client.forward.ExchangeObserver;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.Objects;

/**
 * {@code grok serve DIR}: answers a tunnel's exchanges from a directory instead of a local service. Each exchange
 * runs on the event loop of its tunnel stream, like a forwarded one, and streams its file with backpressure.
 */
public final class FileResponder implements Forwarder {
  private final EventLoops loops;
  private final FileResolver resolver;
  /** Makes an observer for every exchange (the inspector); {@link ExchangeObserver.Factory#NONE} when nobody watches. */
  private final ExchangeObserver.Factory observers;

  /** @throws IllegalArgumentException when {@code options.root()} is not a readable directory */
  public FileResponder(EventLoops loops, ServeOptions options) {
    this(loops, options, ExchangeObserver.Factory.NONE);
  }

  /** Like the other constructor, with an observer of every exchange. */
  public FileResponder(EventLoops loops, ServeOptions options, ExchangeObserver.Factory observers) {
    this.observers = Objects.requireNonNull(observers, "observers");
    this.loops = Objects.requireNonNull(loops, "loops");
    try {
      this.resolver = new FileResolver(options, ByteBufAllocator.DEFAULT);
    } catch (IOException e) {
      throw new IllegalArgumentException("directory: '" + options.root() + "' (expected: an existing directory): "
          + e, e);
    }
  }

  @Override
  public EventLoop loop() {
    return loops.currentOrNext();
  }

  @Override
  public TunnelExchange start(EventLoop loop, ServerFrame opening, TunnelSink tunnel) {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException("start: not on the exchange's event loop");
    }
    if (!opening.hasRequestHead()) {
      return null; // a directory answers HTTP requests only
    }
    RequestHead head = opening.getRequestHead();
    FileExchange exchange = new FileExchange(resolver, head, tunnel, observers.open(head.getExchangeId()));
    exchange.start();
    return exchange;
  }

  @Override
  public void close() {
    // nothing idle: every open file belongs to an exchange and closes with it
  }
}
