package dev.grok.client.session;

import dev.grok.client.forward.Forwarder;
import dev.grok.client.forward.TunnelExchange;
import dev.grok.client.forward.TunnelSink;
import dev.grok.common.compress.FrameCompression;
import dev.grok.common.compress.TunnelCompression;
import dev.grok.common.frames.InboundData;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Retire;
import dev.grok.protocol.v1.ServerFrame;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One standby Exchange stream: waits for a RequestHead or a TcpOpen, hands the exchange to its
 * {@link TunnelExchange} and returns to the pool when the exchange is over. Inbound flow control is manual, at most one server frame outstanding:
 * the next request head when idle, the next body frame only when the exchange asks for it.
 *
 * <p>Threading: with a direct executor, gRPC calls us on the transport's event loop, and the exchange runs on that
 * same loop, so every call into the gRPC stream is made from one thread. A callback that arrives on another thread
 * (a call closed from outside the transport) is handed to the stream's loop first.
 */
final class TunnelStream implements ClientResponseObserver<ClientFrame, ServerFrame>, TunnelSink {
  private static final Logger log = LoggerFactory.getLogger(TunnelStream.class);

  /**
   * IDLE: waiting for a request head or TcpOpen. BUSY: carrying an exchange. RETIRING: we sent Retire and wait for
   * the server to end the stream (or to hand it one more exchange it had already sent). ENDED: closed.
   */
  private enum Role { IDLE, BUSY, RETIRING, ENDED }

  private final StandbyPool pool;
  private final Forwarder forwarder;
  /** Index of the session connection that carries this stream (the pool replaces it there). */
  private final int connection;
  /** The request side of the call; set in beforeStart, before any callback. */
  private ClientCallStreamObserver<ClientFrame> call;
  /** How the tunnel compresses response bodies (the stub's encoding is the same mode's). */
  private final TunnelCompression responseCompression;
  /** Per-message compression of our frames; set in beforeStart, owned by the loop like {@link #call}. */
  private FrameCompression compression;
  /** The loop of the first exchange; null until then. Fields below are owned by it once set. */
  private volatile EventLoop loop;
  private Role role = Role.IDLE;
  /** The pool's period in which this stream last took an exchange (0 never); see IdleBound. Owned by the loop. */
  private int usedPeriod;
  /** The exchange in progress; null when idle, or when the exchange ended and leftover body frames are dropped. */
  private TunnelExchange exchange;
  /** True from a request head until the exchange reports it is over (it may do so before start returns). */
  private boolean exchangeOpen;
  /** A request(1) is outstanding: at most one server frame is ever asked for. */
  private boolean requested;

  private static final ClientFrame RETIRE =
      ClientFrame.newBuilder().setRetire(Retire.getDefaultInstance()).build();

  TunnelStream(StandbyPool pool, Forwarder forwarder, int connection, TunnelCompression responseCompression) {
    this.responseCompression = responseCompression;
    this.pool = pool;
    this.forwarder = forwarder;
    this.connection = connection;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ClientFrame> requestStream) {
    call = requestStream;
    compression = FrameCompression.client(requestStream);
    call.disableAutoRequestWithInitial(1);
    requested = true;
    call.setOnReadyHandler(this::onCallReady);
  }

  @Override
  public void onNext(ServerFrame frame) {
    // Taken at once, on the thread that parsed the frame (InboundData's contract); released or passed on below.
    ByteBuf data = frame.hasData() ? InboundData.take(frame, frame.getData().getBytes()) : null;
    EventLoop l = loop;
    if (l != null && !l.inEventLoop()) {
      l.execute(() -> handleFrame(frame, data));
      return;
    }
    handleFrame(frame, data);
  }

  /** {@code data}: a Data frame's bytes, owned here (the exchange takes them, or they are released); else null. */
  private void handleFrame(ServerFrame frame, ByteBuf data) {
    requested = false;
    switch (frame.getKindCase()) {
      case REQUEST_HEAD, TCP_OPEN -> onOpening(frame);
      case DATA -> {
        if (exchange != null) {
          exchange.onTunnelData(data, frame.getData().getEndOfBody());
        } else {
          data.release();
          requestNext(); // the rest of a request body whose exchange already ended with a LocalFailure
        }
      }
      default -> requestNext();
    }
  }

  /** A RequestHead or TcpOpen: the start of an exchange. */
  private void onOpening(ServerFrame opening) {
    if (role != Role.IDLE && role != Role.RETIRING) {
      abort(opening.getKindCase() + " during an exchange");
      return;
    }
    EventLoop l = loop;
    if (l == null) {
      l = forwarder.loop();
      loop = l;
      if (!l.inEventLoop()) {
        l.execute(() -> onOpening(opening));
        return;
      }
    }
    if (role == Role.IDLE) {
      usedPeriod = pool.onBusy(connection, usedPeriod); // a retiring stream was not counted as idle
    }
    role = Role.BUSY;
    exchangeOpen = true;
    compression.compressBody(null, false); // until the exchange qualifies its response body

    TunnelExchange e = forwarder.start(l, opening, this);
    if (e == null) {
      abort("this client does not forward " + opening.getKindCase() + " exchanges");
      return;
    }
    if (exchangeOpen) {
      exchange = e;
    }
  }

  @Override
  public void onError(Throwable t) {
    end(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end(Status.OK);
  }

  private void end(Status status) {
    EventLoop l = loop;
    if (l != null && !l.inEventLoop()) {
      l.execute(() -> end(status));
      return;
    }
    if (role == Role.ENDED) {
      return;
    }
    Role was = role;
    role = Role.ENDED;
    TunnelExchange e = exchange;
    exchange = null;
    exchangeOpen = false;
    if (e != null) {
      log.debug("exchange stream ended mid-exchange: {}", status);
      e.onTunnelClosed();
    }
    pool.onEnded(was == Role.IDLE, was == Role.BUSY, connection);
  }

  private void onCallReady() {
    EventLoop l = loop;
    if (l != null && !l.inEventLoop()) {
      l.execute(this::onCallReady);
      return;
    }
    if (exchange != null) {
      exchange.onTunnelReady();
    }
  }

  // ---- TunnelSink: called by the exchange on our loop ----

  @Override
  public void send(ClientFrame frame) {
    if (frame.hasData()) {
      compression.beforeData(frame.getData().getBytes());
    } else if (frame.hasResponseHead() && !frame.getResponseHead().getBody().isEmpty()) {
      compression.beforeData(frame.getResponseHead().getBody()); // a head carrying first body bytes
    } else {
      compression.beforeOther();
    }
    call.onNext(frame);
  }

  @Override
  public void compressBody(boolean eligible) {
    compression.compressBody(responseCompression, eligible);
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public boolean headMayCarryBody() {
    return pool.headWithBody;
  }

  @Override
  public void requestNext() {
    if (!requested && role != Role.ENDED) {
      requested = true;
      call.request(1);
    }
  }

  @Override
  public void abort(String reason) {
    TunnelExchange e = exchange;
    exchange = null;
    exchangeOpen = false;
    if (e != null) {
      e.onTunnelClosed(); // a no-op when the exchange itself asked for the abort
    }
    if (role != Role.ENDED) {
      call.cancel(reason, null); // onError(CANCELLED) follows and ends the stream
    }
  }

  @Override
  public void exchangeDone() {
    exchange = null;
    exchangeOpen = false;
    if (role != Role.BUSY) {
      return;
    }
    if (pool.onIdle()) {
      role = Role.IDLE;
    } else {
      // Too many idle streams: ask the server to end this one. It may have sent a request head already; that one
      // is served as usual (onOpening accepts it while RETIRING), so no request is ever refused for a retirement.
      role = Role.RETIRING;
      compression.beforeOther();
      call.onNext(RETIRE);
    }
    requestNext();
  }
}
