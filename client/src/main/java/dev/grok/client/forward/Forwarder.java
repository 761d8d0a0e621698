package dev.grok.client.forward;

import dev.grok.protocol.v1.ServerFrame;
import io.netty.channel.EventLoop;

/**
 * What the tunnel streams hand their exchanges to: {@link LocalHttpForwarder} (HTTP) or {@link LocalTcpForwarder} (TCP).
 * Exchanges run on the loop of the tunnel callback that started them, with the local connection they use.
 */
public interface Forwarder extends AutoCloseable {
  /** The loop an exchange started now would run on: the caller's when it is one of ours. */
  EventLoop loop();

  /**
   * Starts the exchange that {@code opening} (a RequestHead or a TcpOpen) begins; must be called on {@code loop}.
   * Returns null when this forwarder does not serve that kind of exchange (the caller cancels the stream).
   */
  TunnelExchange start(EventLoop loop, ServerFrame opening, TunnelSink tunnel);

  /** Closes idle local connections; connections in use close with their exchange. */
  @Override
  void close();
}
