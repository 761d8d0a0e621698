package dev.grok.common.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay on an {@link EmbeddedChannel} (a socket that can half-close) with a recording tunnel side. */
class RawRelayTest {
  private final RecordingRelayTunnel tunnel = new RecordingRelayTunnel();
  private final DuplexEmbeddedChannel channel = new DuplexEmbeddedChannel();
  private final ReadCounter reads = new ReadCounter();
  private final RawRelay relay = new RawRelay(tunnel, "test exchange");

  private void install() {
    channel.pipeline().addLast(reads, relay);
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private String written() {
    ByteBuf out = channel.readOutbound();
    try {
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      out.release();
    }
  }

  @Test
  void channelFinGoesToTheTunnelAsItsEnd() {
    install();
    relay.start(null, false);

    channel.writeInbound(bytes("hello"));
    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

    assertThat(tunnel.withoutRequests()).containsExactly("send hello", "send  END");
    assertThat(channel.isOpen()).isTrue(); // the tunnel's direction is still open
    assertThat(channel.isOutputShutdown()).isFalse();
  }

  @Test
  void tunnelEndShutsTheOutputDownAfterTheLastBytesAndBothEndsFinish() {
    install();
    relay.start(null, false);

    relay.onTunnelData(bytes("last words"), true);

    assertThat(written()).isEqualTo("last words");
    assertThat(channel.outputShutAfterMessages).isEqualTo(1); // the FIN after the bytes, not before
    assertThat(tunnel.events).doesNotContain("done");

    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

    assertThat(tunnel.withoutRequests()).containsExactly("send  END", "done");
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.linger).isNull(); // a clean close, no reset
  }

  @Test
  void channelClosingBeforeBothEndsAbortsTheStream() {
    install();
    relay.start(null, false);
    channel.writeInbound(bytes("half"));

    channel.close();

    assertThat(tunnel.withoutRequests()).containsExactly("send half", "abort");
  }

  @Test
  void streamEndingEarlyResetsTheChannelWithoutCallingTheTunnelBack() {
    install();
    relay.start(null, false);

    relay.onTunnelClosed("cancelled");

    assertThat(channel.linger).isZero();
    assertThat(channel.isOpen()).isFalse();
    assertThat(tunnel.withoutRequests()).isEmpty();
    relay.onTunnelData(bytes("late"), false); // dropped (and released: the leak check would say otherwise)
    assertThat(channel.outboundMessages()).isEmpty();
  }

  @Test
  void dataAfterTheTunnelsEndAbortsAndResets() {
    install();
    relay.start(null, false);
    relay.onTunnelData(Unpooled.EMPTY_BUFFER, true);

    relay.onTunnelData(bytes("more"), false);

    assertThat(tunnel.withoutRequests()).containsExactly("abort");
    assertThat(channel.linger).isZero();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void noReadWhileTheTunnelIsNotReady() {
    tunnel.ready = false;
    install();
    relay.start(null, false);
    assertThat(reads.count).isZero();

    tunnel.ready = true;
    relay.onTunnelReady();
    assertThat(reads.count).isEqualTo(1);

    tunnel.ready = false;
    channel.writeInbound(bytes("chunk"));
    assertThat(reads.count).isEqualTo(1); // the tunnel filled up with that chunk: no next read

    tunnel.ready = true;
    relay.onTunnelReady();
    assertThat(reads.count).isEqualTo(2);
  }

  @Test
  void framesAreRequestedOnlyWhileTheChannelIsWritable() {
    install();
    relay.start(null, false);
    assertThat(tunnel.events).containsExactly("request " + RawRelay.PREFETCH_FRAMES);
    tunnel.events.clear();
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    channel.runPendingTasks();

    relay.onTunnelData(bytes("a"), false);
    assertThat(tunnel.events).isEmpty();

    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertThat(tunnel.events).containsExactly("request " + RawRelay.PREFETCH_FRAMES);
    assertThat(written()).isEqualTo("a");
  }

  @Test
  void queuedBytesAndAnEarlierFinAreHandedOverFirst() {
    install();

    relay.start(bytes("behind the upgrade"), true);

    assertThat(tunnel.withoutRequests()).containsExactly("send behind the upgrade", "send  END");
    assertThat(reads.count).isZero(); // nothing more to read after the FIN
  }

  @Test
  void tlsHalfCloseSendsCloseNotifyBeforeTheFin(@TempDir Path dir) throws Exception {
    SslContext server = serverTls(dir);
    SslContext client = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    channel.pipeline().addLast(server.newHandler(channel.alloc()));
    install();
    List<Object> peerEvents = new ArrayList<>();
    EmbeddedChannel peer = new EmbeddedChannel(client.newHandler(channel.alloc()), new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        peerEvents.add(evt);
      }
    });
    pump(peer, channel); // the handshake
    relay.start(null, false);

    relay.onTunnelData(Unpooled.EMPTY_BUFFER, true);

    assertThat(channel.outputShutAfterMessages).isPositive(); // the FIN went out ...
    assertThat(channel.outboundMessages()).hasSize(channel.outputShutAfterMessages); // ... after every TLS record
    pump(peer, channel); // everything written before the FIN reaches the peer
    assertThat(peerEvents).contains(SslCloseCompletionEvent.SUCCESS); // ... and that included close_notify
    peer.finishAndReleaseAll();
    channel.finishAndReleaseAll();
  }

  /** Moves bytes between the two channels until neither has anything to say. */
  private static void pump(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = move(a, b) | move(b, a);
    }
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    Object msg;
    while ((msg = from.readOutbound()) != null) {
      to.writeInbound(msg);
      moved = true;
    }
    return moved;
  }

  /** A server context from a certificate made by the JDK's keytool (no test-only crypto library needed). */
  private static SslContext serverTls(Path dir) throws Exception {
    Path store = dir.resolve("relay.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "relay", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new AssertionError("keytool failed");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    return SslContextBuilder.forServer(kmf).build();
  }

  /** Counts explicit reads asked of the channel. */
  private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void read(ChannelHandlerContext ctx) {
      count++;
      ctx.read();
    }
  }
}
