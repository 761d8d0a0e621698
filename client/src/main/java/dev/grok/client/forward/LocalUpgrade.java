package dev.grok.client.forward;

import dev.grok.common.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;

/** The pipeline side of an upgraded (101) connection to the local service: raw bytes and half-closes. */
final class LocalUpgrade {
  private LocalUpgrade() {}

  /**
   * Removes the HTTP codec (TLS, when there is one, stays) and allows half-closure, so that the local service's FIN
   * arrives as an input-shutdown event. The decoder's leftover bytes reach the connection's handler as one
   * {@code ByteBuf} before this returns.
   */
  static void switchToRaw(Channel ch) {
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    if (ch.pipeline().get(HttpClientCodec.class) != null) {
      ch.pipeline().remove(HttpClientCodec.class);
    }
  }

  /** Sends {@code bytes} as Data frames of at most one chunk each; the caller keeps ownership of {@code bytes}. */
  static void sendRaw(TunnelSink tunnel, ByteBuf bytes) {
    int index = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (index < end) {
      int length = Math.min(end - index, Limits.MAX_CHUNK_BYTES);
      tunnel.send(TunnelResponses.data(bytes.slice(index, length), false));
      index += length;
    }
  }

  /** Half-closes our side; over TLS the close_notify goes first. Call once everything before it was written. */
  static void shutdownOutput(Channel ch) {
    if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
      return;
    }
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    if (tls == null) {
      duplex.shutdownOutput();
    } else {
      tls.closeOutbound().addListener((ChannelFutureListener) f -> duplex.shutdownOutput());
    }
  }
}
