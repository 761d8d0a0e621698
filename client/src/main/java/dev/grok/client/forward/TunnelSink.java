package dev.grok.client.forward;

import dev.grok.protocol.v1.ClientFrame;

/**
 * The tunnel stream as one exchange sees it. Every method is called on the exchange's event loop, which is also
 * the loop the stream's gRPC callbacks arrive on.
 */
public interface TunnelSink {
  /**
   * The response body about to be sent qualifies for compression ({@code CompressibleBody}); the tunnel's mode
   * decides the rest. Call once per exchange, before its response head; without a call nothing is compressed.
   */
  default void compressBody(boolean eligible) {}

  /** Writes one frame to the server. */
  void send(ClientFrame frame);

  /** True while the stream's outbound buffer is below gRPC's ready threshold (then {@code onTunnelReady} follows). */
  boolean isReady();

  /** True when the server reads body bytes inside a ResponseHead (Welcome.head_with_body). */
  default boolean headMayCarryBody() {
    return false;
  }

  /** Asks for the next server frame (at most one is ever outstanding). */
  void requestNext();

  /** Cancels the stream: the server sees the abort and closes the visitor's connection. */
  void abort(String reason);

  /** The exchange is over (response end sent, or a LocalFailure sent); the stream may carry the next one. */
  void exchangeDone();
}
