package dev.grok.server.edge.guard;

/**
 * Why the edge refuses a visitor's request: the status it answers (then it closes the connection), the reason
 * counted in {@code grok_edge_rejected_total{reason}} and a sentence for the visitor saying what was wrong.
 *
 * <p>{@link Http1RequestGuard} sends one down the pipeline in place of the bytes it refused, behind everything it
 * passed before, so that the connection's handler answers it in order: at once between requests, or by ending
 * the exchange whose body was malformed.
 *
 * @param status HTTP status to answer (400, 408, 414, 431, 501, 505)
 * @param reason short label for the metric, {@code [a-z_]+}
 * @param detail what was wrong, for the visitor's error page
 */
public record EdgeRefusal(int status, String reason, String detail) {

  static EdgeRefusal badRequest(String reason, String detail) {
    return new EdgeRefusal(400, reason, detail);
  }

  /** The exception form, thrown by the parsers and caught by the guard. */
  static final class Refused extends Exception {
    final EdgeRefusal refusal;

    Refused(EdgeRefusal refusal) {
      super(refusal.detail(), null, false, false);
      this.refusal = refusal;
    }

    Refused(String reason, String detail) {
      this(badRequest(reason, detail));
    }
  }
}
