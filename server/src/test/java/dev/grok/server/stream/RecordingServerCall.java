package dev.grok.server.stream;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server end of a gRPC call without a network: records what is sent, requested and how the call ended, and
 * lets a test play the client (cancel, turn not ready, ready again). Thread-safe enough for tests that drive it
 * from one thread at a time.
 */
public final class RecordingServerCall<T> extends ServerCallStreamObserver<T> {
  /** Messages sent, in order. */
  public final List<T> sent = new CopyOnWriteArrayList<>();
  /** Messages requested from the client so far (the sum of every request(n)). */
  public final AtomicInteger requested = new AtomicInteger();
  private volatile boolean ready = true;
  private volatile boolean cancelled;
  /** "completed", "error: STATUS" once the server ended the call; null while open. */
  private volatile String ended;
  private volatile Runnable onReady = () -> { };
  private volatile Runnable onCancel = () -> { };

  /** How the server ended the call ({@code completed}, {@code error: ...}), null while open. */
  public String ended() {
    return ended;
  }

  /** The client turns (not) ready to take messages; turning ready runs the on-ready handler, as gRPC does. */
  public void setReady(boolean ready) {
    this.ready = ready;
    if (ready) {
      onReady.run();
    }
  }

  /** The client cancels the call: the on-cancel handler runs, as gRPC does. */
  public void cancel() {
    cancelled = true;
    onCancel.run();
  }

  @Override
  public boolean isReady() {
    return ready && ended == null && !cancelled;
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {
    this.onReady = onReadyHandler;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {
    this.onCancel = onCancelHandler;
  }

  @Override
  public void setCompression(String compression) {
  }

  @Override
  public void disableAutoInboundFlowControl() {
  }

  @Override
  public void disableAutoRequest() {
  }

  @Override
  public void setOnReadyThreshold(int numBytes) {
  }

  @Override
  public void request(int count) {
    requested.addAndGet(count);
  }

  @Override
  public void setMessageCompression(boolean enable) {
  }

  @Override
  public void onNext(T value) {
    if (ended != null) {
      throw new IllegalStateException("call already ended: " + ended);
    }
    sent.add(value);
  }

  @Override
  public void onError(Throwable t) {
    if (ended != null) {
      throw new IllegalStateException("call already ended: " + ended);
    }
    ended = "error: " + io.grpc.Status.fromThrowable(t);
  }

  @Override
  public void onCompleted() {
    if (ended != null) {
      throw new IllegalStateException("call already ended: " + ended);
    }
    ended = "completed";
  }
}
