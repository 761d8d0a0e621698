package dev.grok.server.edge.http;

import dev.grok.common.http.HopByHop;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Map;

/** Conversions between the visitor's HTTP objects and tunnel frames, for {@link EdgeHttpExchange}. */
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

  /**
   * The request head the client gets: the raw request-target, end-to-end headers in arrival order (hop-by-hop ones
   * dropped; an upgrade keeps its Upgrade/Connection), X-Forwarded-For appended with the visitor's address,
   * X-Forwarded-Host and X-Forwarded-Proto set by the edge (a visitor's own values of those two are dropped).
   */
  static RequestHead requestHead(HttpRequest request, long exchangeId, int tunnelId, boolean endOfBody,
      boolean upgrade, String remoteIp, String forwardedProto) {
    HttpHeaders headers = request.headers();
    RequestHead.Builder head = RequestHead.newBuilder()
        .setExchangeId(exchangeId)
        .setTunnelId(tunnelId)
        .setMethod(request.method().name())
        .setUri(request.uri())
        .setEndOfBody(endOfBody)
        .setUpgrade(upgrade);
    String forwardedFor = null;
    for (Map.Entry<String, String> h : HopByHop.endToEnd(headers, upgrade)) {
      String n = h.getKey();
      if (n.equalsIgnoreCase("x-forwarded-for")) {
        forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
      } else if (!n.equalsIgnoreCase("x-forwarded-host") && !n.equalsIgnoreCase("x-forwarded-proto")) {
        head.addHeaders(header(n, h.getValue()));
      }
    }
    head.setRemoteAddress(remoteIp);
    head.addHeaders(header("X-Forwarded-For", forwardedFor == null ? remoteIp : forwardedFor + ", " + remoteIp));
    head.addHeaders(header("X-Forwarded-Host", headers.get(HttpHeaderNames.HOST)));
    head.addHeaders(header("X-Forwarded-Proto", forwardedProto));
    return head.build();
  }

  /** The visitor's IP address as text, "unknown" when the channel has none. */
  static String remoteIp(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() : "unknown";
  }

  private static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }
}
