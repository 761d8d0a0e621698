package dev.grok.client.forward;

import dev.grok.protocol.v1.Data;

/**
 * An exchange as its tunnel stream drives it: an HTTP {@link LocalHttpExchange} or a {@link LocalTcpExchange}. Every
 * method is called on the exchange's event loop.
 */
public interface TunnelExchange {
  /** The next server frame of this exchange: request body bytes, or raw bytes of a TCP connection. */
  void onTunnelData(Data data);

  /** The tunnel stream can take more: resume reading the local side. */
  void onTunnelReady();

  /** The tunnel stream ended (cancelled by the server, or failed): drop the local side. */
  void onTunnelClosed();
}
