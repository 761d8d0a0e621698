package dev.grok.client.inspect;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One header line, as sent (names keep their case, repeats stay separate lines). */
public record HeaderLine(String name, String value) {

  static List<HeaderLine> of(HttpHeaders headers) {
    List<HeaderLine> out = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> e : headers) {
      out.add(new HeaderLine(e.getKey(), e.getValue()));
    }
    return List.copyOf(out);
  }

  /** The first value of {@code name} (case-insensitive) in {@code headers}, or null. */
  static String first(List<HeaderLine> headers, String name) {
    for (HeaderLine h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }
}
