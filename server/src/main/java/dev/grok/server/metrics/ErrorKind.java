package dev.grok.server.metrics;

import java.util.Locale;

/** Why an exchange did not get the local service's answer; the {@code kind} label of {@code grok_errors_total}. */
public enum ErrorKind {
  /** No live tunnel for the Host (404). */
  NO_ROUTE,
  /** The request could not be routed at all: no Host, malformed (400). */
  BAD_REQUEST,
  /** The client could not reach the local service, or it broke the exchange (502). */
  LOCAL_REFUSED,
  /** The local service sent no response head within the response timeout (504). */
  TIMEOUT,
  /** The grok client went away during the exchange (502 or a cut response). */
  CLIENT_GONE,
  /** Too many exchanges waiting for a standby stream (503). */
  OVERLOADED,
  /** The visitor closed the connection before the response was complete. */
  VISITOR_GONE;

  /** The label value, e.g. {@code no_route}. */
  public final String label = name().toLowerCase(Locale.ROOT);

  /** The kind of an error page grok answered with {@code status}, or null when the status is no error. */
  public static ErrorKind ofStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 404 -> NO_ROUTE;
      case 502 -> CLIENT_GONE;
      case 503 -> OVERLOADED;
      case 504 -> TIMEOUT;
      default -> null;
    };
  }
}
