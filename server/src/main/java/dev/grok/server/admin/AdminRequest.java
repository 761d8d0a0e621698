package dev.grok.server.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request to the admin port, copied out of Netty's pooled buffers on the event loop so that the API can run on
 * its own threads (it reads the database).
 *
 * @param path the decoded path, without query
 * @param query decoded query parameters
 * @param body the body as UTF-8 text (admin bodies are small JSON)
 * @param address the caller's IP address (for throttling and the audit log), null when unknown
 * @param tls whether the request came over TLS: the session cookie is then marked {@code Secure}
 */
record AdminRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers, String body,
    String address, boolean tls) {
  static AdminRequest of(FullHttpRequest req, String address, boolean tls) {
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    return new AdminRequest(req.method(), uri.path(), uri.parameters(), req.headers().copy(),
        req.content().toString(StandardCharsets.UTF_8), address, tls);
  }

  /** GET and HEAD change nothing; every other method needs the CSRF header with a cookie session. */
  boolean isSafe() {
    return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
  }

  /** The first value of query parameter {@code name}, or null. */
  String queryParam(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
