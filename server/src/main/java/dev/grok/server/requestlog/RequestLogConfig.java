package dev.grok.server.requestlog;

import java.time.Duration;

/**
 * How much of the request log the database keeps.
 *
 * @param retention exchanges kept per tunnel, newest win ({@code --request-log-retention}, 1000); 0 turns the log
 *     off entirely: nothing is queued or written (rows written before stay until the log is turned on again and
 *     prunes them)
 * @param maxAge rows older than this are deleted ({@code --request-log-max-age}, 7 days)
 */
public record RequestLogConfig(int retention, Duration maxAge) {
  /** The defaults of both options. */
  public static final RequestLogConfig DEFAULTS = new RequestLogConfig(1000, Duration.ofDays(7));

  public RequestLogConfig {
    if (retention < 0) {
      throw new IllegalArgumentException("request-log-retention: " + retention + " (expected: >= 0, 0 for no log)");
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("request-log-max-age: " + maxAge + " (expected: > 0, such as 7d or 12h)");
    }
  }

  /** Whether exchanges are logged at all. */
  public boolean enabled() {
    return retention > 0;
  }
}
