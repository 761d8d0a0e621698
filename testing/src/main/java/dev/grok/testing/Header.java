package dev.grok.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One header line as it was sent or received: name in its original case, value untouched. */
public record Header(String name, String value) {
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** The first value of {@code name} (case-insensitive) in {@code headers}, or null when absent. */
  public static String first(List<Header> headers, String name) {
    for (Header h : headers) {
      if (h.name.equalsIgnoreCase(name)) {
        return h.value;
      }
    }
    return null;
  }

  /** Every value of {@code name} (case-insensitive) in {@code headers}, in order. */
  public static List<String> all(List<Header> headers, String name) {
    List<String> values = new ArrayList<>();
    for (Header h : headers) {
      if (h.name.equalsIgnoreCase(name)) {
        values.add(h.value);
      }
    }
    return values;
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
