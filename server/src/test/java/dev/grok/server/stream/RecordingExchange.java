package dev.grok.server.stream;

import dev.grok.protocol.v1.ClientFrame;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An edge exchange as a stream sees it, recording every callback; lives on {@code loop}. */
public final class RecordingExchange implements TunnelExchange {
  private final EventLoop loop;
  /** Streams the pool handed over after a wait, in order. */
  public final List<TunnelStream> assigned = new CopyOnWriteArrayList<>();
  public final List<ClientFrame> frames = new CopyOnWriteArrayList<>();
  public final List<Status> gone = new CopyOnWriteArrayList<>();
  public volatile int writable;

  public RecordingExchange(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void onStreamAssigned(TunnelStream stream) {
    assigned.add(stream);
  }

  @Override
  public void onTunnelFrame(ClientFrame frame, io.netty.buffer.ByteBuf data) {
    if (data != null) {
      data.release();
    }
    frames.add(frame);
  }

  @Override
  public void onTunnelWritable() {
    writable++;
  }

  @Override
  public void onTunnelGone(Status status) {
    gone.add(status);
  }
}
