package dev.grok.client.inspect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Exchanges as an HTTP Archive (HAR 1.2): what browsers' developer tools and many HTTP tools import. Bodies are
 * what was captured (at most the body limit); a truncated one carries a {@code comment}.
 */
final class HarExport {
  private HarExport() {}

  /** A HAR log of {@code exchanges} (in the order given), with URLs under {@code baseUrl}. */
  static ObjectNode har(List<CapturedExchange> exchanges, String baseUrl) {
    ObjectNode root = ExchangeJson.JSON.createObjectNode();
    ObjectNode log = root.putObject("log");
    log.put("version", "1.2");
    log.putObject("creator").put("name", "grok inspector").put("version", "1");
    ArrayNode entries = log.putArray("entries");
    for (CapturedExchange e : exchanges) {
      entries.add(entry(e, baseUrl));
    }
    return root;
  }

  private static ObjectNode entry(CapturedExchange e, String baseUrl) {
    ObjectNode entry = ExchangeJson.JSON.createObjectNode();
    double total = e.durationMillis();
    entry.put("startedDateTime", Instant.ofEpochMilli(e.startedAtMillis()).toString());
    entry.put("time", total);
    entry.set("request", request(e, baseUrl));
    entry.set("response", response(e));
    entry.putObject("cache");
    double connect = e.connectNanos() < 0 ? -1 : e.connectNanos() / 1e6;
    double wait = e.localResponseNanos() < 0 ? total : e.localResponseNanos() / 1e6 - Math.max(0, connect);
    ObjectNode timings = entry.putObject("timings");
    timings.put("connect", connect);
    timings.put("send", 0);
    timings.put("wait", Math.max(0, wait));
    timings.put("receive", Math.max(0, total - Math.max(0, connect) - Math.max(0, wait)));
    if (e.failure() != null) {
      entry.put("comment", e.failure());
    }
    return entry;
  }

  private static ObjectNode request(CapturedExchange e, String baseUrl) {
    ObjectNode r = ExchangeJson.JSON.createObjectNode();
    r.put("method", e.method());
    r.put("url", baseUrl + e.uri());
    r.put("httpVersion", "HTTP/1.1");
    r.putArray("cookies");
    r.set("headers", ExchangeJson.headers(e.requestHeaders()));
    ArrayNode query = r.putArray("queryString");
    int q = e.uri().indexOf('?');
    if (q >= 0) {
      for (String pair : e.uri().substring(q + 1).split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          query.addObject().put("name", eq < 0 ? pair : pair.substring(0, eq))
              .put("value", eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
    }
    if (e.requestBody().size() > 0) {
      ObjectNode post = r.putObject("postData");
      String type = HeaderLine.first(e.requestHeaders(), "content-type");
      post.put("mimeType", type == null ? "" : type);
      ObjectNode body = ExchangeJson.body(e.requestBody(), type);
      // postData has no encoding field: binary bodies are given as base64 text with a comment saying so.
      if (body.has("text")) {
        post.put("text", body.get("text").asText());
      } else {
        post.put("text", body.get("base64").asText());
        post.put("comment", "base64");
      }
      truncation(post, e.requestBody());
    }
    r.put("headersSize", -1);
    r.put("bodySize", e.requestBody().size());
    return r;
  }

  private static ObjectNode response(CapturedExchange e) {
    ObjectNode r = ExchangeJson.JSON.createObjectNode();
    r.put("status", e.status());
    r.put("statusText", e.reason());
    r.put("httpVersion", "HTTP/1.1");
    r.putArray("cookies");
    r.set("headers", ExchangeJson.headers(e.responseHeaders()));
    ObjectNode content = r.putObject("content");
    String type = HeaderLine.first(e.responseHeaders(), "content-type");
    content.put("size", e.responseBody().size());
    content.put("mimeType", type == null ? "" : type);
    ObjectNode body = ExchangeJson.body(e.responseBody(), type);
    if (body.has("text")) {
      content.put("text", body.get("text").asText());
    } else {
      content.put("text", body.get("base64").asText());
      content.put("encoding", "base64");
    }
    truncation(content, e.responseBody());
    String location = HeaderLine.first(e.responseHeaders(), "location");
    r.put("redirectURL", location == null ? "" : location);
    r.put("headersSize", -1);
    r.put("bodySize", e.responseBody().size());
    return r;
  }

  private static void truncation(ObjectNode n, CapturedBody b) {
    if (b.truncated()) {
      n.put("comment", "truncated: the first " + b.length() + " of " + b.size() + " bytes");
    }
  }
}
