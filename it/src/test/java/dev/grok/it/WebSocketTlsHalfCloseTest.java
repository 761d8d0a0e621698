package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.client.TunnelTls;
import dev.grok.common.EventLoops;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.websocket.OriginSession;
import dev.grok.testing.websocket.WebSocketEchoOrigin;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket on the HTTPS edge: when the local service half-closes, the visitor reads TLS close_notify before
 * the FIN (a clean end of the TLS stream, not a truncation), as the relay's half-close rule says.
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class WebSocketTlsHalfCloseTest {
  private static final String NAME = "websocket-tls";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  static Path dataDir;
  static TestServer server;
  static WebSocketEchoOrigin origin;
  static TestClient client;
  static EventLoops visitorLoops;

  @BeforeAll
  static void start() {
    server = TestServer.startTls(dataDir);
    origin = WebSocketEchoOrigin.start();
    client = TestClient.startTls(server, server.adminToken(), NAME, origin.hostAndPort(),
        TunnelTls.trust(server.certificate()));
    client.awaitReady();
    visitorLoops = EventLoops.create("tls-visitors", 1);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
    if (visitorLoops != null) {
      visitorLoops.close();
    }
  }

  @Test
  void localServicesHalfCloseReachesATlsVisitorAsCloseNotifyThenFin() throws Exception {
    String host = NAME + ".localhost:" + server.httpsPort();
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StringBuilder received = new StringBuilder();
    var tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    Channel visitor = new Bootstrap().group(visitorLoops.group()).channel(visitorLoops.channelType())
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc(), NAME + ".localhost", server.httpsPort()),
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    synchronized (received) {
                      received.append(((ByteBuf) msg).toString(StandardCharsets.ISO_8859_1));
                    }
                    ReferenceCountUtil.release(msg);
                    events.add("bytes");
                  }

                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    events.add("inactive");
                  }
                });
          }
        })
        .connect("127.0.0.1", server.httpsPort()).sync().channel();
    try {
      origin.clearSessions();
      visitor.writeAndFlush(Unpooled.copiedBuffer("GET /tls-close HTTP/1.1\r\nHost: " + host + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n", StandardCharsets.US_ASCII)).sync();
      OriginSession session = origin.takeSession(WAIT);
      await("the 101").atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
        synchronized (received) {
          return received.indexOf("\r\n\r\n") >= 0;
        }
      });
      synchronized (received) {
        assertThat(received.toString()).startsWith("HTTP/1.1 101");
      }

      session.shutdownOutput();

      Object closeNotify = nextEventOtherThanBytes(events);
      assertThat(closeNotify).as("close_notify first").isInstanceOf(SslCloseCompletionEvent.class);
      assertThat(((SslCloseCompletionEvent) closeNotify).isSuccess()).as("close_notify, not a truncation").isTrue();
      assertThat(nextEventOtherThanBytes(events)).as("then the FIN").isSameAs(ChannelInputShutdownEvent.INSTANCE);
    } finally {
      visitor.close().sync();
    }
  }

  private static Object nextEventOtherThanBytes(BlockingQueue<Object> events) throws InterruptedException {
    while (true) {
      Object e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no event within " + WAIT);
      }
      if (!"bytes".equals(e) && !(e instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent)) {
        return e;
      }
    }
  }
}
