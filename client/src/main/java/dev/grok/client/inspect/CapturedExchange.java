package dev.grok.client.inspect;

import java.util.List;

/**
 * One exchange as the inspector shows it: an immutable snapshot, taken when the request head went to the local
 * service ({@code done} false) and again when the exchange ended.
 *
 * @param id the inspector's id (1, 2, ...)
 * @param replayOf id of the exchange this one replays, 0 for a visitor's request
 * @param startedAtMillis wall-clock start, epoch milliseconds
 * @param method request method; "" when the request head was invalid
 * @param uri request target (path and query) as the local service received it
 * @param status the local service's status, 0 before a response head (or when it failed before one)
 * @param durationNanos from start to end; 0 while not done
 * @param connectNanos time to open a new local connection; -1 when a pooled one was used
 * @param localResponseNanos from start to the response head; -1 without one
 * @param failure what went wrong, null for a complete exchange
 * @param requestComplete the whole request body went by ({@code requestBody} is all of it, up to the limit)
 * @param peer {@code address:port} of the visitor of a TCP exchange (method {@code TCP}); null for HTTP
 */
public record CapturedExchange(
    long id, long replayOf, long startedAtMillis, String method, String uri,
    List<HeaderLine> requestHeaders, CapturedBody requestBody,
    int status, String reason, List<HeaderLine> responseHeaders, CapturedBody responseBody,
    boolean done, long durationNanos, long connectNanos, long localResponseNanos, String failure,
    boolean requestComplete, String peer) {

  public double durationMillis() {
    return durationNanos / 1e6;
  }

  /** Heap bytes its captured bodies hold (what the inspector's byte budgets count). */
  public long bodyBytes() {
    return (long) requestBody.bytes().length + responseBody.bytes().length;
  }

  /** {@code pending}, {@code complete} or {@code failed}. */
  public String state() {
    return !done ? "pending" : failure == null ? "complete" : "failed";
  }
}
