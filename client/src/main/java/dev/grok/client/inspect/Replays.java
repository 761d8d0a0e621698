package dev.grok.client.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /api/requests/{id}/replay}: the captured request again, as it was or with edits from the JSON body
 * {@code {"method","path","headers":[{"name","value"}],"body"|"body_base64"}} (every field optional; headers given
 * replace all captured headers).
 *
 * <p>A request is replayed as captured only once its whole body went by: asked earlier (the visitor is still
 * uploading, or the exchange failed mid-body) the answer is 409 with what to do, never a replay with a partial or
 * empty body. The inspector's list shows an exchange as soon as its head went out, so a user can click replay
 * moments after a POST arrived; a 409 saying "still arriving" is what they can act on (wait, or give a body),
 * where waiting inside the API call could hang as long as a slow upload.
 */
final class Replays {
  /** An HTTP token (RFC 9110). */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}");
  /** An origin-form target: a slash, then visible ASCII. */
  private static final Pattern TARGET = Pattern.compile("/[\\x21-\\x7e]*");

  /** The new exchange's id, or an error to answer with. */
  record Result(long id, HttpResponseStatus status, String error) {
    static Result failed(HttpResponseStatus status, String error) {
      return new Result(0, status, error);
    }
  }

  private final Inspector inspector;

  Replays(Inspector inspector) {
    this.inspector = inspector;
  }

  Result replay(CapturedExchange original, ByteBuf content) {
    JsonNode edits;
    try {
      edits = content.isReadable()
          ? ExchangeJson.JSON.readTree(content.toString(StandardCharsets.UTF_8))
          : ExchangeJson.JSON.createObjectNode();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Result.failed(HttpResponseStatus.BAD_REQUEST, "replay body is not JSON: " + e.getOriginalMessage()
          + " (expected: {} or {\"method\",\"path\",\"headers\":[{\"name\",\"value\"}],\"body\"})");
    }
    if (!edits.isObject()) {
      return Result.failed(HttpResponseStatus.BAD_REQUEST, "replay body: " + edits.getNodeType()
          + " (expected: a JSON object)");
    }
    String method = edits.path("method").asText(original.method());
    if (!METHOD.matcher(method).matches()) {
      return Result.failed(HttpResponseStatus.BAD_REQUEST, "method: '" + method + "' (expected: a token like POST)");
    }
    String path = edits.path("path").asText(original.uri());
    if (!TARGET.matcher(path).matches()) {
      return Result.failed(HttpResponseStatus.BAD_REQUEST,
          "path: '" + path + "' (expected: /path?query, no spaces or control characters)");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (edits.has("headers")) {
      if (!edits.get("headers").isArray()) {
        return Result.failed(HttpResponseStatus.BAD_REQUEST, "headers: expected [{\"name\":..,\"value\":..}]");
      }
      for (JsonNode h : edits.get("headers")) {
        String name = h.path("name").asText("");
        if (!TOKEN.matcher(name).matches()) {
          return Result.failed(HttpResponseStatus.BAD_REQUEST, "header name: '" + name + "' (expected: a token)");
        }
        headers.add(Map.entry(name, h.path("value").asText("")));
      }
    } else {
      original.requestHeaders().forEach(h -> headers.add(Map.entry(h.name(), h.value())));
    }
    byte[] body;
    if (edits.hasNonNull("body_base64")) {
      try {
        body = Base64.getDecoder().decode(edits.get("body_base64").asText());
      } catch (IllegalArgumentException e) {
        return Result.failed(HttpResponseStatus.BAD_REQUEST, "body_base64: not base64: " + e.getMessage());
      }
    } else if (edits.hasNonNull("body")) {
      body = edits.get("body").asText().getBytes(StandardCharsets.UTF_8);
    } else if (original.peer() != null) {
      return Result.failed(HttpResponseStatus.CONFLICT, "exchange " + original.id()
          + " is a TCP connection: only HTTP requests can be replayed");
    } else if (!original.requestComplete()) {
      // Never the part of a body that has arrived so far as if it were all of it (an empty body, at first).
      return Result.failed(HttpResponseStatus.CONFLICT, original.done()
          ? "the request body of exchange " + original.id() + " never arrived whole (" + original.requestBody().size()
              + " bytes before it ended): replay it with a body of your own (\"body\" or \"body_base64\")"
          : "the request body of exchange " + original.id() + " is still arriving (" + original.requestBody().size()
              + " bytes so far): replay it once it has arrived, or with a body of your own");
    } else if (original.requestBody().truncated()) {
      return Result.failed(HttpResponseStatus.CONFLICT, "the captured body was truncated at "
          + original.requestBody().length() + " of " + original.requestBody().size()
          + " bytes: replay it with a body of your own (\"body\" or \"body_base64\")");
    } else {
      body = original.requestBody().copy();
    }
    try {
      return new Result(inspector.replay(original.id(), method, path, headers, body), HttpResponseStatus.OK, null);
    } catch (IllegalStateException e) {
      return Result.failed(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
  }
}
