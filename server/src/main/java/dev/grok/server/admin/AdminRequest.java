package dev.grok.server.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A request to the admin port, copied out of Netty's pooled buffers on the event loop so that the API can run on
 * its own threads (it reads the database).
 *
 * @param path the decoded path, without query
 * @param body the body as UTF-8 text (admin bodies are small JSON)
 */
record AdminRequest(HttpMethod method, String path, HttpHeaders headers, String body) {
  static AdminRequest of(FullHttpRequest req) {
    String path = new QueryStringDecoder(req.uri()).path();
    return new AdminRequest(req.method(), path, req.headers().copy(),
        req.content().toString(StandardCharsets.UTF_8));
  }

  /** GET and HEAD change nothing; every other method needs the CSRF header with a cookie session. */
  boolean isSafe() {
    return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
  }
}
