package dev.grok.server.edge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The pages a visitor sees when grok itself answers: small HTML, or JSON when the visitor asked for
 * {@code application/json}. Each says what happened and what to do.
 */
final class ErrorPages {
  private ErrorPages() {}

  static FullHttpResponse render(ByteBufAllocator alloc, HttpResponseStatus status, String title, String detail,
      boolean json, boolean head) {
    String body;
    String type;
    if (json) {
      body = "{\"status\":" + status.code() + ",\"error\":\"" + jsonEscape(title) + "\",\"detail\":\""
          + jsonEscape(detail) + "\"}\n";
      type = "application/json; charset=utf-8";
    } else {
      body = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + status.code() + " "
          + htmlEscape(title) + "</title></head>\n<body style=\"font-family:sans-serif;margin:3em\"><h1>"
          + status.code() + " " + htmlEscape(title) + "</h1>\n<p>" + htmlEscape(detail)
          + "</p>\n<hr><p><small>grok</small></p></body></html>\n";
      type = "text/html; charset=utf-8";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? alloc.buffer(0) : alloc.buffer(bytes.length).writeBytes(bytes);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set("X-Grok-Error", String.valueOf(status.code()));
    return response;
  }

  static boolean wantsJson(String accept) {
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("application/json");
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
