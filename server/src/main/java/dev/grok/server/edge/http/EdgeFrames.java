package dev.grok.server.edge.http;

import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Conversions between the visitor's HTTP objects and tunnel frames, for {@link EdgeExchange}. */
final class EdgeFrames {
  private EdgeFrames() {}

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
