package dev.grok.server.stream;

import dev.grok.protocol.v1.ClientFrame;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The edge side of an exchange as a {@link TunnelStream} sees it. Each method is called on the gRPC transport
 * thread; implementations hand the work to {@link #loop()}, where the exchange lives.
 */
public interface TunnelExchange {
  /** The event loop that owns the exchange (the edge channel's). */
  EventLoop loop();

  /**
   * The session's pool handed this exchange a stream (it had to wait for one). If the exchange gave up meanwhile,
   * it must {@link TunnelStream#release()} the stream at once.
   */
  void onStreamAssigned(TunnelStream stream);

  /**
   * A frame from the client; the stream requests the next one only when the exchange asks for it. For a Data frame
   * {@code data} holds its bytes (the frame's own Data bytes may be empty: zero-copy receive, see
   * {@code common.frames}); the exchange owns {@code data} and must release it or pass it on, on every path. Null
   * for other frames.
   */
  void onTunnelFrame(ClientFrame frame, ByteBuf data);

  /** The stream can take more frames without buffering (gRPC onReady). */
  void onTunnelWritable();

  /** The stream ended before the exchange finished (client gone, cancelled, session closed). */
  void onTunnelGone(Status status);
}
