package dev.grok.common.relay;

import io.netty.buffer.ByteBuf;

/**
 * The tunnel stream as a {@link RawRelay} sees it: the server's or the client's exchange stream, adapted by the
 * exchange that owns the relay. Every method is called on the relay channel's event loop, and never again after
 * {@link #abort} or {@link #done}.
 */
public interface RelayTunnel {
  /**
   * Sends {@code bytes} (at most {@code Limits.MAX_CHUNK_BYTES}) as one Data frame, {@code end} on the last one of
   * the channel's direction. The caller keeps ownership: the bytes must be serialized or copied before this returns.
   */
  void send(ByteBuf bytes, boolean end);

  /** True while the stream takes frames without buffering beyond its flow-control window (gRPC isReady). */
  boolean isReady();

  /**
   * Keeps up to {@code frames} frames requested from the peer; a stream that carries at most one outstanding
   * request asks for one. Called only while the channel is writable.
   */
  void request(int frames);

  /** The channel side failed or closed before both directions ended: cancel the stream (its peer resets). */
  void abort(String reason);

  /** Both directions ended cleanly (FIN each way, the output shut down): the stream may carry the next exchange. */
  void done();
}
