package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/**
 * Pipeline of a visitor connection: HTTP/1.1 codec (limits give 414/431), 100-continue answered at the edge,
 * then the handler, which takes decoded messages one at a time on demand.
 */
final class EdgeHttpInitializer extends ChannelInitializer<SocketChannel> {
  private final EdgeContext edge;
  private final ChannelGroup connections;

  EdgeHttpInitializer(EdgeContext edge, ChannelGroup connections) {
    this.edge = edge;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    ch.pipeline()
        .addLast("http", new HttpServerCodec(Limits.MAX_INITIAL_LINE_BYTES, Limits.MAX_HEADER_BYTES,
            Limits.MAX_CHUNK_BYTES))
        .addLast("continue", new HttpServerExpectContinueHandler())
        .addLast("edge", new EdgeHttpHandler(edge));
  }
}
