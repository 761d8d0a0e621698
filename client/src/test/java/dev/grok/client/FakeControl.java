package dev.grok.client;

import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.testing.Await;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** The server's end of one control stream in {@link FakeTunnelServer}: what the client sent, and a way to answer. */
final class FakeControl {
  private final ServerCallStreamObserver<ControlEvent> out;
  /** Set at Hello. */
  volatile String id;
  final BlockingQueue<ControlRequest> received = new LinkedBlockingQueue<>();
  /** Completes with "half-closed" or "cancelled: STATUS" when the client ends the stream. */
  final CompletableFuture<String> ended = new CompletableFuture<>();

  FakeControl(ServerCallStreamObserver<ControlEvent> out) {
    this.out = out;
  }

  synchronized void send(ControlEvent event) {
    if (!out.isCancelled()) {
      out.onNext(event);
    }
  }

  synchronized void complete() {
    if (!out.isCancelled()) {
      out.onCompleted();
    }
  }

  synchronized void fail(io.grpc.Status status) {
    out.onError(status.asRuntimeException());
  }

  /** The next request of the given kind, skipping others (heartbeats). */
  ControlRequest next(ControlRequest.KindCase kind, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.isNegative()) {
        throw new AssertionError("no " + kind + " within " + timeout.toMillis() + " ms");
      }
      ControlRequest r = Await.poll(received, left, kind.toString());
      if (r.getKindCase() == kind) {
        return r;
      }
    }
  }
}
