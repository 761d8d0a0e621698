package dev.grok.common.compress;

import com.google.protobuf.ByteString;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * The per-message compression switch of one Exchange stream. gRPC compresses every message of a call that has an
 * encoding unless told otherwise per message ({@code setMessageCompression}); this class says yes only for body
 * Data frames of an exchange whose body {@link CompressibleBody qualifies}, and no for heads, failures, raw bytes
 * (TCP, WebSocket after its 101) and everything else. It calls gRPC only when the answer changes.
 *
 * <p>Threads: owned by the thread that sends on the stream (the exchange's loop), like the stream's observer.
 */
public final class FrameCompression {
  private final CallStreamObserver<?> call;
  /** The server side sets the call's encoding before its first message; null on the client (CallOptions). */
  private final ServerCallStreamObserver<?> serverCall;
  /** Nothing was sent yet: the server may still choose the call's encoding. */
  private boolean firstSend = true;
  /** What gRPC was last told: -1 nothing yet (gRPC's default is on), 0 off, 1 on. */
  private int told = -1;
  /** The policy of the current exchange's tunnel; null: no body compression for this exchange. */
  private TunnelCompression policy;
  /** The current exchange's body qualifies ({@link CompressibleBody}). */
  private boolean eligible;
  // The auto rule's timing of the current exchange's plain Data frames (see AutoRule).
  private long plainBytes;
  private long sampleBytes;
  private long sampleStartNanos;

  private FrameCompression(CallStreamObserver<?> call, ServerCallStreamObserver<?> serverCall) {
    this.call = call;
    this.serverCall = serverCall;
  }

  /** The switch of a client stream, whose encoding is fixed by its stub's CallOptions. */
  public static FrameCompression client(CallStreamObserver<?> call) {
    return new FrameCompression(call, null);
  }

  /** The switch of a server stream, which takes the encoding of its first exchange's tunnel. */
  public static FrameCompression server(ServerCallStreamObserver<?> call) {
    return new FrameCompression(call, call);
  }

  /**
   * Starts the outgoing body of an exchange: {@code policy} is its tunnel's (null or {@link TunnelCompression#NONE}
   * for none), {@code eligible} whether its body qualifies. Call before the exchange's first frame is sent.
   */
  public void compressBody(TunnelCompression policy, boolean eligible) {
    this.policy = policy == TunnelCompression.NONE ? null : policy;
    this.eligible = eligible;
    plainBytes = 0;
    sampleStartNanos = 0;
    if (firstSend && serverCall != null && this.policy != null) {
      // Fixed for the call's life by its first exchange (gRPC sends it in the response headers). A stream of the
      // same session that first served another tunnel keeps that tunnel's encoding (or none).
      serverCall.setCompression(this.policy.encoding());
    }
  }

  /** Call before sending a message that is not body bytes (a head, a failure, a retire). */
  public void beforeOther() {
    tell(false);
  }

  /**
   * Call before sending a Data frame of body bytes {@code data}. A frame the rule would compress is sent as it is when
   * its bytes look incompressible ({@link ByteEntropy}); the next frame is judged again.
   */
  public void beforeData(ByteString data) {
    TunnelCompression p = policy;
    if (p == null) {
      tell(false);
      return;
    }
    int bytes = data.size();
    AutoRule auto = p.autoRule();
    long now = auto == null ? 0 : System.nanoTime();
    boolean on = eligible && p.compressNow(now) && !ByteEntropy.looksIncompressible(data);
    tell(on);
    if (auto == null) {
      return;
    }
    if (on) {
      sampleStartNanos = 0; // compressed frames say nothing of the link: the next plain stretch starts afresh
    } else {
      timePlain(auto, bytes, now);
    }
  }

  private void timePlain(AutoRule auto, int bytes, long now) {
    plainBytes += bytes;
    if (plainBytes <= AutoRule.SKIP_BYTES) {
      return;
    }
    if (sampleStartNanos == 0) {
      sampleStartNanos = now; // this frame's bytes were handed over before the clock started
      sampleBytes = 0;
      return;
    }
    sampleBytes += bytes;
    if (sampleBytes >= AutoRule.SAMPLE_BYTES) {
      auto.sample(sampleBytes, now - sampleStartNanos, now);
      sampleBytes = 0;
      sampleStartNanos = now;
    }
  }

  private void tell(boolean on) {
    firstSend = false;
    int v = on ? 1 : 0;
    if (told != v) {
      told = v;
      call.setMessageCompression(on);
    }
  }
}
