package dev.grok.client.forward;

import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.RequestHead;
import io.netty.channel.EventLoop;

/**
 * What answers the exchanges of a tunnel on the client: the local HTTP service ({@link LocalForwarder}) or a
 * directory ({@code dev.grok.client.files.FileResponder}). A tunnel stream hands each request head to it and drives
 * the exchange it returns.
 */
public interface LocalResponder extends AutoCloseable {
  /** The loop an exchange started now would run on: the caller's when it is one of the client's. */
  EventLoop loop();

  /**
   * Starts one exchange. Must be called on {@code loop}; every later call into the returned exchange is made on it
   * too, and every call the exchange makes into {@code tunnel} happens on it.
   */
  Exchange start(EventLoop loop, RequestHead head, TunnelSink tunnel);

  /** Frees what is idle (connections in use end with their exchange). */
  @Override
  void close();

  /** One exchange in progress, as its tunnel stream drives it. Every method is called on the exchange's loop. */
  interface Exchange {
    /** A request body frame (asked for with {@link TunnelSink#requestNext()}). */
    void onTunnelData(Data data);

    /** The tunnel stream can take more frames. */
    void onTunnelReady();

    /** The tunnel stream ended (cancelled by the server, or failed): drop everything. */
    void onTunnelClosed();
  }
}
