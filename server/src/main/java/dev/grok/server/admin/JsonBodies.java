package dev.grok.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Locale;

/** Reading the small JSON bodies of the admin API; bad ones throw IllegalArgumentException (answered 400). */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * The body as a JSON object. JSON only: a cross-site HTML form cannot send it without a CORS preflight, which
   * this port never grants.
   */
  static JsonNode object(AdminRequest r) {
    String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new IllegalArgumentException("Content-Type: " + type + " (expected: application/json)");
    }
    try {
      JsonNode n = AdminResponse.JSON.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("body: not a JSON object (expected: e.g. {\"name\": \"laptop\"})");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body: not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /** A required non-blank string field. */
  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(field + ": missing (expected: a non-empty string)");
    }
    return v.asText();
  }

  /** An optional string field: null when absent, JSON null or blank. */
  static String optionalText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: a string)");
    }
    return v.asText().isBlank() ? null : v.asText();
  }
}
