package dev.grok.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole answer of the admin port, built off the event loop and turned into a Netty response on it.
 *
 * @param headers extra response headers (e.g. Set-Cookie), in order
 */
record AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * On every answer of the admin port, pages and JSON alike: the dashboard runs only its own scripts and styles
   * (no inline code, images also as {@code data:} for the 2FA QR code), never inside another site's frame, its
   * type is never sniffed, and no URL of it leaks in a Referer.
   */
  static final Map<String, String> SECURITY_HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
          + "base-uri 'none'; form-action 'self'",
      "X-Frame-Options", "DENY",
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer");

  static AdminResponse json(HttpResponseStatus status, Object value) {
    try {
      byte[] body = JSON.writeValueAsBytes(value);
      return new AdminResponse(status, "application/json", body, new LinkedHashMap<>());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not serializable as JSON: " + value, e);
    }
  }

  /** {@code {"error": message}} with {@code status}. */
  static AdminResponse error(HttpResponseStatus status, String message) {
    return json(status, Map.of("error", message));
  }

  static AdminResponse text(HttpResponseStatus status, String contentType, String body) {
    return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  AdminResponse withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  FullHttpResponse toNetty(boolean isHead) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        isHead ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    SECURITY_HEADERS.forEach((n, v) -> res.headers().set(n, v));
    headers.forEach((n, v) -> res.headers().add(n, v));
    return res;
  }
}
