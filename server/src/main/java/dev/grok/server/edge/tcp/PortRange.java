package dev.grok.server.edge.tcp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ports handed to TCP tunnels, {@code low} to {@code high} inclusive.
 *
 * @param low first port, at least 1
 * @param high last port, at least low, at most 65535
 */
public record PortRange(int low, int high) {
  private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");

  public PortRange {
    if (low < 1 || low > high || high > 65535) {
      throw new IllegalArgumentException("tcp-ports: '" + low + "-" + high
          + "' (expected: a port range A-B with 1 <= A <= B <= 65535, e.g. 10000-20000)");
    }
  }

  /** Parses {@code A-B}; the error names the value and the expected form. */
  public static PortRange parse(String text) {
    Matcher m = RANGE.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("tcp-ports: '" + text
          + "' (expected: a port range A-B with 1 <= A <= B <= 65535, e.g. 10000-20000)");
    }
    return new PortRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  public boolean contains(int port) {
    return port >= low && port <= high;
  }

  public int size() {
    return high - low + 1;
  }

  @Override
  public String toString() {
    return low + "-" + high;
  }
}
