package dev.grok.client.inspect;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspector's HTTP server on {@code 127.0.0.1} only (it shows request bodies: never on a public interface), on
 * the inspector's own loop. A port already in use is not fatal: the tunnel runs on without the inspector.
 */
public final class InspectorServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InspectorServer.class);

  /** Largest request the API accepts (a replay with an edited body). */
  static final int MAX_REQUEST_BYTES = 1024 * 1024;
  /** How long binding may take. */
  private static final long BIND_TIMEOUT_MILLIS = 5_000;

  private final Channel channel;
  private final EventStream events;

  private InspectorServer(Channel channel, EventStream events) {
    this.channel = channel;
    this.events = events;
  }

  /**
   * Serves {@code inspector} on {@code 127.0.0.1:port} (0: any free port).
   *
   * @return the server, or null (after a warning on the log) when the port cannot be bound
   */
  public static InspectorServer start(Inspector inspector, int port) {
    EventStream events = new EventStream(inspector);
    InspectorApi api = new InspectorApi(inspector, events);
    ChannelFuture bound = new ServerBootstrap()
        .group(inspector.group())
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                new InspectorHandler(api));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", port));
    if (!bound.awaitUninterruptibly(BIND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || !bound.isSuccess()) {
      log.warn("request inspector not started: cannot listen on 127.0.0.1:{} ({}); the tunnel works without it "
          + "(choose another port with --inspect-port N, or --no-inspect)", port,
          bound.cause() == null ? "timed out" : bound.cause().getMessage());
      bound.channel().close();
      return null;
    }
    inspector.loop().execute(() -> inspector.subscribe(events::publish));
    events.startHeartbeat();
    return new InspectorServer(bound.channel(), events);
  }

  /** The port bound. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    events.closeAll();
    channel.close().awaitUninterruptibly(BIND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }
}
