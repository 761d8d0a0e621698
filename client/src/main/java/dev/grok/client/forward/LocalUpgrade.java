package dev.grok.client.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;

/** The pipeline side of an upgraded (101) connection to the local service: the HTTP codec goes, raw bytes stay. */
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
}
