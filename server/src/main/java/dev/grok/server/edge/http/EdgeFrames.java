package dev.grok.server.edge.http;

import com.google.protobuf.ByteString;
import dev.grok.common.Limits;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.server.tunnel.TunnelStream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Conversions between the visitor's HTTP objects and tunnel frames, for {@link EdgeExchange}. */
final class EdgeFrames {
  private EdgeFrames() {}

  /**
   * Sends {@code bytes} (body or raw) as Data frames of at most {@link Limits#MAX_CHUNK_BYTES}, {@code last} on the
   * final one; empty bytes give one empty frame. One copy, socket buffer -> protobuf bytes: the caller releases
   * {@code bytes} right after.
   */
  static void sendData(TunnelStream stream, ByteBuf bytes, boolean last) {
    int index = bytes.readerIndex();
    int end = bytes.writerIndex();
    do {
      int length = Math.min(end - index, Limits.MAX_CHUNK_BYTES);
      ByteString chunk = ByteString.copyFrom(bytes.nioBuffer(index, length));
      index += length;
      boolean lastChunk = index == end;
      stream.send(ServerFrame.newBuilder()
          .setData(Data.newBuilder().setBytes(chunk).setEndOfBody(last && lastChunk)).build());
    } while (index < end);
  }

  /** The visitor's response head: status, reason and headers as the client sent them (framing added by the caller). */
  static DefaultHttpResponse responseOf(ResponseHead head) {
    HttpResponseStatus status = head.getReason().isEmpty()
        ? HttpResponseStatus.valueOf(head.getStatus())
        : new HttpResponseStatus(head.getStatus(), head.getReason());
    DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, false);
    HttpHeaders out = response.headers();
    for (Header h : head.getHeadersList()) {
      out.add(h.getName(), h.getValue());
    }
    return response;
  }
}
