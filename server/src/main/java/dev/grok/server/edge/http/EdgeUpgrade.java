package dev.grok.server.edge.http;

import dev.grok.common.http.HopByHop;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The pipeline surgery of an upgrade (WebSocket and any other {@code Connection: upgrade}) on a visitor connection.
 *
 * <p>Two steps, because the answer comes from the local service much later than the request: when the upgrade
 * request has been decoded, the HTTP decoder is removed at once ({@link #stopDecoding}), so that bytes the visitor
 * sends behind its request (already in the decoder's buffer, or read later) reach the handler as raw
 * {@code ByteBuf}s instead of being parsed as a next request; the encoder stays for the answer. After a 101 has
 * been written, the rest of the HTTP handlers go ({@link #switchToRaw}) and the connection handler hands over to
 * the one raw-byte relay ({@code dev.grok.common.relay.RawRelay}, which half-closes with close_notify first on the
 * HTTPS edge). After any other answer the connection is closed: it can no longer be read as HTTP.
 */
final class EdgeUpgrade {
  private EdgeUpgrade() {}

  /** Queued in the handler's backlog when the visitor half-closed a raw connection, behind the bytes before it. */
  static final Object INPUT_SHUTDOWN = new Object() {
    @Override
    public String toString() {
      return "INPUT_SHUTDOWN";
    }
  };

  /**
   * True for a well-formed request asking to switch protocols without a body (a body would have to be read as HTTP
   * before the switch; such a request is forwarded as a plain request, without its upgrade headers).
   */
  static boolean isUpgradeRequest(HttpRequest request) {
    return request.decoderResult().isSuccess()
        && HopByHop.isUpgrade(request.headers())
        && !HttpUtil.isTransferEncodingChunked(request)
        && HttpUtil.getContentLength(request, 0L) == 0L;
  }

  /**
   * Removes the HTTP decoder; call it while handling the upgrade request's last content (the decoder emits it in
   * the same batch as the request, and checks right after that batch whether it was removed). The bytes left in
   * its buffer are handed to the next handlers as one {@code ByteBuf} before this returns.
   */
  static void stopDecoding(ChannelPipeline pipeline) {
    HttpServerCodec codec = pipeline.get(HttpServerCodec.class);
    if (codec != null) {
      codec.removeInboundHandler();
    }
  }

  /**
   * The 101 head has been written (and turned into bytes by the encoder, synchronously on this loop): the
   * remaining HTTP handlers go and the connection carries raw bytes. Half-close is allowed from now on, so that a
   * visitor's FIN arrives as an input-shutdown event and is forwarded as the end of its direction.
   */
  static void switchToRaw(ChannelHandlerContext ctx) {
    ChannelPipeline p = ctx.pipeline();
    if (p.get("continue") != null) {
      p.remove("continue");
    }
    if (p.get(HttpServerCodec.class) != null) {
      p.remove(HttpServerCodec.class);
    }
    ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }
}
