package dev.grok.server.edge.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Between the HTTP/2 stream codec and the exchange handler. Makes a stream look like one HTTP/1.1 request:
 * <ul>
 *   <li>a request that ends with its headers arrives as a FullHttpRequest (with a buffer): it is split into the
 *       head and a last content, which the exchange handles (and releases) like any body;
 *   <li>the codec's {@code x-http2-*} bookkeeping headers are removed, so the local service never sees them;
 *   <li>a read asked for while a frame decodes to nothing (e.g. an empty frame) is asked for again at the end of
 *       the read cycle, so the on-demand reader never waits for a message that will not come.
 * </ul>
 */
final class EdgeHttp2RequestAdapter extends ChannelDuplexHandler {
  /** A read was asked for and no message has been handed on since. Event-loop confined. */
  private boolean readPending;
  /** Messages handed on in the current read cycle. Event-loop confined. */
  private int readsThisCycle;

  @Override
  public void read(ChannelHandlerContext ctx) {
    readPending = true;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readPending = false;
    readsThisCycle++;
    if (msg instanceof FullHttpRequest full) {
      HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
      strip(head.headers());
      ctx.fireChannelRead(head);
      // The content changes owner: from the full request to the last content (released by the exchange).
      ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
    } else {
      if (msg instanceof HttpRequest request) {
        strip(request.headers());
      }
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.fireChannelReadComplete();
    // Only when the whole cycle produced nothing: a read asked for while handling a message is served by the
    // stream channel itself, and asking twice would read beyond the demand.
    boolean nothing = readsThisCycle == 0;
    readsThisCycle = 0;
    if (nothing && readPending && ctx.channel().isActive()) {
      ctx.read();
    }
  }

  private static void strip(HttpHeaders headers) {
    for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
      headers.remove(name.text());
    }
  }
}
