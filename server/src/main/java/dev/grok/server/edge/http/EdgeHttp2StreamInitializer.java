package dev.grok.server.edge.http;

import dev.grok.common.Limits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Pipeline of one HTTP/2 stream: frames to HTTP/1.1 objects and back, then the same exchange handler as an
 * HTTP/1.1 connection, so each stream is one exchange with the same routing, limits and backpressure. Reads on
 * demand (autoRead off); writability follows the stream's flow-control window and the byte watermarks.
 */
final class EdgeHttp2StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
  private final EdgeContext edge;

  EdgeHttp2StreamInitializer(EdgeContext edge) {
    this.edge = edge;
  }

  @Override
  protected void initChannel(Http2StreamChannel ch) {
    ch.config().setAutoRead(false);
    ch.config().setWriteBufferWaterMark(
        new WriteBufferWaterMark(Limits.WRITE_BUFFER_LOW_BYTES, Limits.WRITE_BUFFER_HIGH_BYTES));
    ch.pipeline()
        .addLast("h2-errors", new EdgeHttp2StreamErrors())
        .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true))
        .addLast("h2-request", new EdgeHttp2RequestAdapter())
        .addLast("continue", new HttpServerExpectContinueHandler())
        .addLast("edge", new EdgeHttpHandler(edge));
  }
}
