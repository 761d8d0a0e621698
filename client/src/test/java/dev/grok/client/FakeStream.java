package dev.grok.client;

import com.google.protobuf.ByteString;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.testing.Await;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's end of one standby Exchange stream in {@link FakeTunnelServer}: a test sends a request on it and
 * collects the client's frames. Inbound flow control is manual so a test can stop reading ({@link #pause()}).
 */
final class FakeStream {
  private static final AtomicLong EXCHANGE_IDS = new AtomicLong();

  /** The {@code grok-session} metadata of the call. */
  final String sessionId;
  private final ServerCallStreamObserver<ServerFrame> out;
  final BlockingQueue<ClientFrame> frames = new LinkedBlockingQueue<>();
  /**
   * Completes with "completed" (the client half-closed), "retired" (the client sent Retire and this fake ended the
   * stream) or "cancelled ..." when the stream ends.
   */
  final CompletableFuture<String> ended = new CompletableFuture<>();
  /** One entry per Retire frame the client sent. */
  final BlockingQueue<ClientFrame> retires = new LinkedBlockingQueue<>();
  /** False: a Retire is recorded but not honoured, as when the server had already handed the stream an exchange. */
  volatile boolean honourRetire = true;
  private volatile boolean paused;

  FakeStream(String sessionId, ServerCallStreamObserver<ServerFrame> out) {
    this.sessionId = sessionId;
    this.out = out;
    out.disableAutoRequest();
    out.setOnCancelHandler(() -> ended.complete("cancelled"));
    out.request(1);
  }

  StreamObserver<ClientFrame> inbound() {
    return new StreamObserver<>() {
      @Override
      public void onNext(ClientFrame frame) {
        if (frame.hasRetire()) {
          retires.add(frame);
          if (honourRetire) {
            ended.complete("retired");
            synchronized (FakeStream.this) {
              if (!out.isCancelled()) {
                out.onCompleted();
              }
            }
            return;
          }
          out.request(1);
          return;
        }
        frames.add(frame);
        if (!paused) {
          out.request(1);
        }
      }

      @Override
      public void onError(Throwable t) {
        ended.complete("cancelled: " + t);
      }

      @Override
      public void onCompleted() {
        ended.complete("completed");
        synchronized (FakeStream.this) {
          if (!out.isCancelled()) {
            out.onCompleted();
          }
        }
      }
    };
  }

  synchronized void send(ServerFrame frame) {
    if (!out.isCancelled()) {
      out.onNext(frame);
    }
  }

  /** Sends a request head (no body when {@code body} is null) and the body in chunks of 64 KiB. */
  void sendRequest(String method, String uri, List<Header> headers, byte[] body) {
    sendHead(method, uri, headers, body == null);
    if (body != null) {
      int chunk = 64 * 1024;
      for (int off = 0; off < body.length || off == 0; off += chunk) {
        int len = Math.min(chunk, body.length - off);
        boolean end = off + len >= body.length;
        sendData(ByteString.copyFrom(body, off, len), end);
        if (end) {
          break;
        }
      }
    }
  }

  /** Sends only a request head; with {@code endOfBody} false, body frames are to follow. */
  void sendHead(String method, String uri, List<Header> headers, boolean endOfBody) {
    send(ServerFrame.newBuilder().setRequestHead(RequestHead.newBuilder()
        .setExchangeId(EXCHANGE_IDS.incrementAndGet())
        .setTunnelId(1)
        .setMethod(method)
        .setUri(uri)
        .addAllHeaders(headers)
        .setRemoteAddress("203.0.113.7")
        .setEndOfBody(endOfBody)).build());
  }

  void sendData(ByteString bytes, boolean end) {
    send(ServerFrame.newBuilder().setData(Data.newBuilder().setBytes(bytes).setEndOfBody(end)).build());
  }

  static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }

  ClientFrame next(Duration timeout) throws InterruptedException {
    return Await.poll(frames, timeout, "client frame");
  }

  /** Collects one response: head and body up to end_of_body, or a LocalFailure. */
  FakeResponse awaitResponse(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ResponseHead head = null;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      ClientFrame f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      switch (f.getKindCase()) {
        case LOCAL_FAILURE -> {
          return new FakeResponse(head, body.toByteArray(), f.getLocalFailure());
        }
        case RESPONSE_HEAD -> {
          if (head != null) {
            throw new AssertionError("second response head: " + f);
          }
          head = f.getResponseHead();
          body.writeBytes(head.getBody().toByteArray());
          if (head.getEndOfBody()) {
            return new FakeResponse(head, body.toByteArray(), null);
          }
        }
        case DATA -> {
          if (head == null) {
            throw new AssertionError("data before the response head");
          }
          body.writeBytes(f.getData().getBytes().toByteArray());
          if (f.getData().getEndOfBody()) {
            return new FakeResponse(head, body.toByteArray(), null);
          }
        }
        default -> throw new AssertionError("unexpected frame " + f);
      }
    }
  }

  /** Ends the stream from the server's side with CANCELLED, as the server does when the visitor goes away. */
  synchronized void cancel() {
    if (!out.isCancelled()) {
      out.onError(io.grpc.Status.CANCELLED.withDescription("visitor gone").asRuntimeException());
    }
    ended.complete("cancelled by the server");
  }

  /** Stops asking for client frames: the client's writes back up. */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    out.request(1);
  }

  /** Whether the server could send more now (false while the client is not reading). */
  boolean isReady() {
    return out.isReady();
  }

  /** A response as the server received it. {@code failure} is null unless the client sent a LocalFailure. */
  record FakeResponse(ResponseHead head, byte[] body, LocalFailure failure) {
    String header(String name) {
      return head.getHeadersList().stream().filter(h -> h.getName().equalsIgnoreCase(name))
          .map(Header::getValue).findFirst().orElse(null);
    }

    List<String> headers(String name) {
      return head.getHeadersList().stream().filter(h -> h.getName().equalsIgnoreCase(name))
          .map(Header::getValue).toList();
    }
  }
}
