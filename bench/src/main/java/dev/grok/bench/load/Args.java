package dev.grok.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --name value} options of the mains of this package: each read once with its default, then {@link
 * #done} rejects what is left (a misspelt option must not silently run a one-hour soak with defaults).
 */
final class Args {
  private final List<String> rest;

  Args(String[] args) {
    this.rest = new ArrayList<>(List.of(args));
  }

  String string(String name, String defaultValue) {
    int i = rest.indexOf(name);
    if (i < 0) {
      return defaultValue;
    }
    if (i + 1 >= rest.size()) {
      throw usage(name + ": no value");
    }
    String v = rest.get(i + 1);
    rest.subList(i, i + 2).clear();
    return v;
  }

  int integer(String name, int defaultValue) {
    String v = string(name, null);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw usage(name + ": '" + v + "' (expected: an integer)");
    }
  }

  void done() {
    if (!rest.isEmpty()) {
      throw usage("unknown arguments: " + rest);
    }
  }

  private static IllegalArgumentException usage(String message) {
    return new IllegalArgumentException(message);
  }
}
