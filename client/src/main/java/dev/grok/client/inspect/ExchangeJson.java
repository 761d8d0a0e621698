package dev.grok.client.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The inspector API's JSON views of exchanges (snake_case, as the contract's {@code duration_ms}). */
final class ExchangeJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private ExchangeJson() {}

  /** One line of the list: {@code id, method, path, status, duration_ms, ...}. */
  static ObjectNode summary(CapturedExchange e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", e.id());
    n.put("method", e.method());
    n.put("path", e.uri());
    n.put("status", e.status());
    n.put("duration_ms", Math.round(e.durationMillis() * 1000) / 1000.0);
    n.put("state", e.state());
    n.put("started_at", Instant.ofEpochMilli(e.startedAtMillis()).toString());
    n.put("request_size", e.requestBody().size());
    n.put("response_size", e.responseBody().size());
    if (e.peer() != null) {
      n.put("peer", e.peer()); // a TCP connection: request_size and response_size are the bytes each way
    }
    if (e.replayOf() != 0) {
      n.put("replay_of", e.replayOf());
    }
    if (e.failure() != null) {
      n.put("failure", e.failure());
    }
    return n;
  }

  /** The whole exchange: the summary plus both heads, both bodies and the timings. */
  static ObjectNode detail(CapturedExchange e) {
    ObjectNode n = summary(e);
    n.put("reason", e.reason());
    ObjectNode request = n.putObject("request");
    request.set("headers", headers(e.requestHeaders()));
    request.set("body", body(e.requestBody(), HeaderLine.first(e.requestHeaders(), "content-type")));
    ObjectNode response = n.putObject("response");
    response.set("headers", headers(e.responseHeaders()));
    response.set("body", body(e.responseBody(), HeaderLine.first(e.responseHeaders(), "content-type")));
    ObjectNode timings = n.putObject("timings");
    timings.put("local_connect_ms", e.connectNanos() < 0 ? -1 : e.connectNanos() / 1e6);
    timings.put("local_response_ms", e.localResponseNanos() < 0 ? -1 : e.localResponseNanos() / 1e6);
    return n;
  }

  static ArrayNode headers(List<HeaderLine> headers) {
    ArrayNode a = JSON.createArrayNode();
    for (HeaderLine h : headers) {
      a.addObject().put("name", h.name()).put("value", h.value());
    }
    return a;
  }

  /**
   * {@code size} (whole body), {@code captured}, {@code truncated}, {@code content_type}, and the captured bytes as
   * {@code text} when they are UTF-8 without control characters, else as {@code base64}.
   */
  static ObjectNode body(CapturedBody b, String contentType) {
    ObjectNode n = JSON.createObjectNode();
    n.put("size", b.size());
    n.put("captured", b.length());
    n.put("truncated", b.truncated());
    n.put("content_type", contentType == null ? "" : contentType);
    String text = text(b);
    if (text != null) {
      n.put("encoding", "text");
      n.put("text", text);
    } else {
      n.put("encoding", "base64");
      n.put("base64", Base64.getEncoder().encodeToString(b.copy()));
    }
    return n;
  }

  /** The captured bytes as text, or null when they are not (a cut in the middle of a character is tolerated). */
  static String text(CapturedBody b) {
    int length = b.length();
    // A truncated body may end inside a UTF-8 sequence: leave out up to three trailing bytes of it.
    if (b.truncated()) {
      int i = length;
      while (i > 0 && length - i < 3 && (b.bytes()[i - 1] & 0xC0) == 0x80) {
        i--;
      }
      if (i > 0 && (b.bytes()[i - 1] & 0xC0) == 0xC0) {
        length = i - 1;
      }
    }
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b.bytes(), 0, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        return null;
      }
    }
    return s;
  }
}
