package dev.grok.client.forward;

import dev.grok.common.relay.RawRelay;
import dev.grok.common.relay.RelayTunnel;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.TcpOpen;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor's TCP connection as the client relays it: a connection to the local service, dialled as soon as the
 * TcpOpen arrives, and raw bytes as Data frames both ways through a {@link RawRelay} (its backpressure, half-close
 * and reset rules: a FIN travels as {@code end_of_body}, a local connection that closes before both directions
 * ended cancels the stream, so the visitor is reset). A failed dial answers LocalFailure (the visitor's connection
 * is closed). Everything happens on one event loop: the stream's callbacks arrive there and the local connection
 * lives there.
 */
public final class LocalTcpExchange implements TunnelExchange {
  private static final Logger log = LoggerFactory.getLogger(LocalTcpExchange.class);

  private final LocalAddresses target;
  private final TunnelSink tunnel;
  private final long exchangeId;
  /** Sees the connection go by (the inspector); {@link ExchangeObserver#NONE} when nobody watches. */
  private final ExchangeObserver observer;

  // All fields below are owned by the exchange's loop.
  /** Relays the local connection's bytes; null until the dial succeeded. */
  private RawRelay relay;
  /** Finished (cleanly or not); late events are ignored. */
  private boolean done;

  LocalTcpExchange(LocalAddresses target, TcpOpen open, TunnelSink tunnel, ExchangeObserver observer) {
    this.target = target;
    this.tunnel = tunnel;
    this.exchangeId = open.getExchangeId();
    this.observer = observer;
  }

  /** Dials the local service with {@code bootstrap} (whose group is {@code loop}). */
  void start(Bootstrap bootstrap, EventLoop loop) {
    RawRelay r = new RawRelay(new StreamSide(), "TCP exchange " + exchangeId);
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast("relay", r);
      }
    });
    long connectStart = System.nanoTime();
    target.connect(b, loop).addListener((Future<Channel> f) -> {
      if (!f.isSuccess()) {
        if (!done) {
          done = true;
          String message = target.connectFailure(f.cause());
          log.debug("TCP exchange {}: {}", exchangeId, message);
          observer.onEnd(LocalFailure.Kind.REFUSED + ": " + message);
          tunnel.send(TunnelResponses.failure(LocalFailure.Kind.REFUSED, message));
          tunnel.exchangeDone();
        }
        return;
      }
      if (done) {
        f.getNow().close(); // the tunnel went away while dialling
        return;
      }
      observer.onLocalConnected(System.nanoTime() - connectStart);
      relay = r;
      r.start(null, false); // asks for the visitor's first bytes and reads the local service while ready
    });
  }

  // ---- tunnel side (called by the tunnel stream on our loop) ----

  @Override
  public void onTunnelData(ByteBuf bytes, boolean endOfBody) {
    if (done) {
      bytes.release();
      return;
    }
    if (relay == null) {
      bytes.release();
      abort("data frame before the local connection");
      return;
    }
    observer.onRequestBody(bytes);
    relay.onTunnelData(bytes, endOfBody); // on our loop: runs inline; the relay owns the bytes
  }

  @Override
  public void onTunnelReady() {
    if (relay != null && !done) {
      relay.onTunnelReady();
    }
  }

  /** The stream was cancelled (the visitor reset or left): the local connection is reset too. */
  @Override
  public void onTunnelClosed() {
    if (done) {
      return;
    }
    done = true;
    observer.onEnd("the tunnel stream ended");
    if (relay != null) {
      relay.onTunnelClosed("the tunnel stream ended");
    }
  }

  private void abort(String reason) {
    log.debug("TCP exchange {}: aborted: {}", exchangeId, reason);
    done = true;
    observer.onEnd(reason);
    if (relay != null) {
      relay.onTunnelClosed(reason);
    }
    tunnel.abort(reason);
  }

  /** The tunnel stream as the relay sees it; called on our loop. */
  private final class StreamSide implements RelayTunnel {
    @Override
    public void send(ByteBuf bytes, boolean end) {
      observer.onResponseBody(bytes);
      tunnel.send(TunnelResponses.data(bytes, end));
    }

    @Override
    public boolean isReady() {
      return tunnel.isReady();
    }

    @Override
    public void request(int frames) {
      tunnel.requestNext(); // the client's stream keeps at most one server frame outstanding
    }

    @Override
    public void abort(String reason) {
      if (!done) {
        done = true;
        log.debug("TCP exchange {}: aborted: {}", exchangeId, reason);
        observer.onEnd(reason);
        tunnel.abort(reason);
      }
    }

    @Override
    public void done() {
      if (!done) {
        done = true;
        observer.onEnd(null);
        tunnel.exchangeDone();
      }
    }
  }
}
