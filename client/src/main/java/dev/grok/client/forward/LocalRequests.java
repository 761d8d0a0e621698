package dev.grok.client.forward;

import dev.grok.common.http.HopByHop;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;

/** Builds the HTTP/1.1 request head the local service receives from a tunnel {@link RequestHead}. */
final class LocalRequests {
  private LocalRequests() {}

  /**
   * Header names we add, in the customary capitalisation (HTTP names are case-insensitive, but some small local
   * servers compare them exactly); Netty's constants are lower case for HTTP/2.
   */
  private static final String HOST = "Host";
  private static final String TRANSFER_ENCODING = "Transfer-Encoding";
  private static final String CONTENT_LENGTH = "Content-Length";
  private static final String CONNECTION = "Connection";
  private static final String UPGRADE = "Upgrade";

  /** Methods whose empty body is still announced with {@code Content-Length: 0}. */
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  /**
   * Method and request-target exactly as received (never re-encoded), headers in order with repeats, Host by
   * {@code rule}. Framing: Content-Length is kept when present; a body without one is sent chunked; no body and no
   * length gives {@code Content-Length: 0} for POST/PUT/PATCH and no framing header otherwise. An upgrade keeps
   * its {@code Upgrade} header and carries {@code Connection: Upgrade}.
   *
   * @throws IllegalArgumentException when the method, target or a header is not valid HTTP/1.1
   */
  static HttpRequest build(RequestHead head, HostRule rule) {
    HttpRequest request =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(head.getMethod()), head.getUri());
    HttpHeaders headers = request.headers();
    boolean hasHost = false;
    boolean hasLength = false;
    boolean upgrade = head.getUpgrade();
    for (Header h : head.getHeadersList()) {
      String name = h.getName();
      if (upgrade && (name.equalsIgnoreCase(UPGRADE) || name.equalsIgnoreCase(CONNECTION))) {
        if (!headers.contains(name)) {
          headers.add(name, name.equalsIgnoreCase(CONNECTION) ? UPGRADE : h.getValue());
        }
        continue;
      }
      if (name.equalsIgnoreCase("host")) {
        if (!hasHost) {
          hasHost = true;
          headers.add(name, rule.apply(h.getValue())); // the name as the visitor spelled it
        }
        continue;
      }
      // The server already removed hop-by-hop headers; dropping them again keeps our framing the only framing.
      if (HopByHop.isHopByHop(name, Set.of())) {
        continue;
      }
      if (name.equalsIgnoreCase("content-length")) {
        hasLength = true;
      }
      headers.add(name, h.getValue());
    }
    if (!hasHost) {
      headers.add(HOST, rule.apply(null));
    }
    if (upgrade) {
      if (!headers.contains(UPGRADE)) {
        throw new IllegalArgumentException("upgrade request without an Upgrade header (expected: e.g. websocket)");
      }
      if (!headers.contains(CONNECTION)) {
        headers.add(CONNECTION, UPGRADE);
      }
    }
    if (!hasLength) {
      if (!head.getEndOfBody()) {
        headers.set(TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else if (BODY_METHODS.contains(request.method().name())) {
        headers.set(CONTENT_LENGTH, HttpHeaderValues.ZERO);
      }
    }
    return request;
  }
}
