package dev.grok.server.stream;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.grok.common.Limits;
import dev.grok.common.compress.FrameCompression;
import dev.grok.common.compress.TunnelCompression;
import dev.grok.common.frames.InboundData;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.ServerFrame;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server end of one standby {@code Exchange} stream. Idle in its owner's {@link StreamPool} until the edge takes it for an
 * exchange; then frames flow both ways; when both directions have ended it returns to the pool. An aborted exchange
 * cancels the stream (the client opens a replacement).
 *
 * <p>Threads: gRPC callbacks arrive on the transport's event loop; sends ({@link #send}) come from the exchange's
 * event loop only, one exchange at a time, and the pool hand-over orders them (its lock is the happens-before
 * edge), so the observer is never called from two threads at once.
 */
public final class TunnelStream implements StreamObserver<ClientFrame> {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final ServerCallStreamObserver<ServerFrame> out;
  /** The pool of the session that opened the stream; it goes back there after each exchange. */
  private final StreamPool pool;

  /** The exchange using this stream; null while idle. Written under the pool's lock, read anywhere. */
  private volatile TunnelExchange exchange;
  /** Set once when the stream is cancelled, failed or completed; it is never reused after. */
  private volatile boolean closed;
  /** The client sent Retire while the stream was busy: end it when its exchange is over. Guarded by the pool lock. */
  boolean retireRequested;
  /** Frames requested from gRPC and not yet delivered. */
  private final AtomicInteger requested = new AtomicInteger();
  /**
   * The event-loop thread of the stream's gRPC connection: with a direct executor, gRPC creates the stream (and
   * calls this constructor) on it.
   */
  private final Thread transportThread = Thread.currentThread();
  /** Per-message compression of this stream's frames; used by the attached exchange's loop like {@link #out}. */
  private final FrameCompression compression;

  /**
   * A standby stream of {@code pool}'s owner; call on the stream's transport thread (gRPC does, with a direct
   * executor), then hand it to {@link StreamPool#add}.
   */
  public TunnelStream(ServerCallStreamObserver<ServerFrame> out, StreamPool pool) {
    this.out = out;
    this.pool = pool;
    this.compression = FrameCompression.server(out);
    out.disableAutoRequest();
    out.setOnReadyThreshold(Limits.ON_READY_THRESHOLD_BYTES);
    out.setOnReadyHandler(() -> {
      TunnelExchange x = exchange;
      if (x != null) {
        x.onTunnelWritable();
      }
    });
    out.setOnCancelHandler(() -> gone(Status.CANCELLED.withDescription("client cancelled the stream")));
  }

  public long id() {
    return id;
  }

  /** Binds the stream to {@code x}; called by the pool under its lock. */
  void attach(TunnelExchange x) {
    this.exchange = x;
    compression.compressBody(null, false); // until the exchange says otherwise; the pool lock publishes it
  }

  /**
   * The request body of the exchange about to start is compressed by {@code policy} (its tunnel's) when
   * {@code eligible}; call before its first frame, from its loop.
   */
  public void compressBody(TunnelCompression policy, boolean eligible) {
    compression.compressBody(policy, eligible);
  }

  boolean isClosed() {
    return closed;
  }

  /** True when the stream's connection is served by {@code loop}: frames reach an exchange there without a hop. */
  boolean runsOn(EventLoop loop) {
    return loop.inEventLoop(transportThread);
  }

  /** Sends a frame; call only from the attached exchange's loop. */
  public void send(ServerFrame frame) {
    if (!closed) {
      if (frame.hasData()) {
        compression.beforeData(frame.getData().getBytes());
      } else {
        compression.beforeOther();
      }
      out.onNext(frame);
    }
  }

  /**
   * Sends {@code bytes} (a body, or raw bytes after an upgrade / on a TCP tunnel) as Data frames of at most
   * {@link Limits#MAX_CHUNK_BYTES}, {@code last} on the final one; empty bytes give one empty frame. No copy here:
   * the frames wrap {@code bytes}' memory and gRPC serializes each one into its own buffers inside {@code onNext},
   * so the caller may release {@code bytes} as soon as this returns. Call only from the attached exchange's loop.
   */
  public void sendData(ByteBuf bytes, boolean last) {
    int index = bytes.readerIndex();
    int end = bytes.writerIndex();
    do {
      int length = Math.min(end - index, Limits.MAX_CHUNK_BYTES);
      ByteString chunk = UnsafeByteOperations.unsafeWrap(bytes.nioBuffer(index, length));
      index += length;
      send(ServerFrame.newBuilder()
          .setData(Data.newBuilder().setBytes(chunk).setEndOfBody(last && index == end)).build());
    } while (index < end);
  }

  /** True when a send will not be buffered beyond the flow-control window. */
  public boolean isReady() {
    return !closed && out.isReady();
  }

  /**
   * Keeps {@code frames} client frames requested from gRPC (thread-safe). The count lives with the stream, not the
   * exchange: requests left over when an exchange ends carry to the next one, so they never pile up.
   */
  public void requestUpTo(int frames) {
    while (!closed) {
      int r = requested.get();
      if (r >= frames) {
        return;
      }
      if (requested.compareAndSet(r, frames)) {
        out.request(frames - r);
        return;
      }
    }
  }

  /** The exchange finished cleanly in both directions: back to the pool for the next one. */
  public void release() {
    exchange = null;
    if (!closed) {
      pool.giveBack(this);
    }
  }

  /** The exchange was aborted: cancel the stream so that no late frame of it can reach the next exchange. */
  public void abort(String why) {
    exchange = null;
    if (!closed) {
      closed = true;
      pool.forget(this);
      try {
        out.onError(Status.CANCELLED.withDescription(why).asRuntimeException());
      } catch (IllegalStateException alreadyClosed) {
        // the call ended concurrently: nothing left to cancel
      }
    }
  }

  /** Session shutdown: end an idle stream politely. */
  void completeIdle() {
    if (!closed) {
      closed = true;
      try {
        out.onCompleted();
      } catch (IllegalStateException alreadyClosed) {
        // ended concurrently
      }
    }
  }

  @Override
  public void onNext(ClientFrame frame) {
    requested.decrementAndGet();
    if (frame.hasRetire()) {
      pool.retire(this); // ignored when an exchange took the stream first: the client serves it
      if (exchange != null) {
        // The Retire used up the request an idle stream keeps out; the exchange that took the stream meanwhile
        // counted on it for its response head (without this, that exchange waited for its timeout: 504).
        requestUpTo(1);
      }
      return;
    }
    // Taken at once, on the thread that parsed the frame (InboundData's contract); owned by the exchange from here.
    ByteBuf data = frame.hasData() ? InboundData.take(frame, frame.getData().getBytes()) : null;
    TunnelExchange x = exchange;
    if (x != null) {
      x.onTunnelFrame(frame, data);
    } else {
      if (data != null) {
        data.release();
      }
      // A frame on an idle stream is a protocol error: drop the stream rather than guess.
      abort("frame on an idle stream");
    }
  }

  @Override
  public void onError(Throwable t) {
    gone(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    // The client half-closed: it is shrinking its pool or going away. A busy stream cannot finish its exchange.
    if (exchange == null && !closed) {
      closed = true;
      pool.forget(this);
      try {
        out.onCompleted();
      } catch (IllegalStateException alreadyClosed) {
        // ended concurrently
      }
    } else {
      gone(Status.UNAVAILABLE.withDescription("client closed the stream mid-exchange"));
    }
  }

  private void gone(Status status) {
    if (closed && exchange == null) {
      return;
    }
    closed = true;
    pool.forget(this);
    TunnelExchange x = exchange;
    exchange = null;
    if (x != null) {
      x.onTunnelGone(status);
    }
  }
}
