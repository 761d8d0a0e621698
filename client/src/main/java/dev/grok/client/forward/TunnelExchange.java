package dev.grok.client.forward;

import io.netty.buffer.ByteBuf;

/**
 * An exchange as its tunnel stream drives it: an HTTP {@link LocalHttpExchange} or a {@link LocalTcpExchange}. Every
 * method is called on the exchange's event loop.
 */
public interface TunnelExchange {
  /**
   * The next Data frame of this exchange: request body bytes, or raw bytes of a TCP connection or after an upgrade;
   * {@code endOfBody} on the last. The exchange owns {@code bytes} (possibly gRPC's own receive buffers, see
   * {@code common.frames}): it writes them on or releases them, on every path.
   */
  void onTunnelData(ByteBuf bytes, boolean endOfBody);

  /** The tunnel stream can take more: resume reading the local side. */
  void onTunnelReady();

  /** The tunnel stream ended (cancelled by the server, or failed): drop the local side. */
  void onTunnelClosed();
}
