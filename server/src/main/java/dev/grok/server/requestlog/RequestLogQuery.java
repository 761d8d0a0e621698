package dev.grok.server.requestlog;

import java.util.Locale;

/**
 * One page of a tunnel's log: newest first, older than {@code beforeId}, with optional filters and the caller's
 * scope (whose rows it may see). Validates what a caller typed, with errors that say the value and what was
 * expected (the admin API answers them 400).
 *
 * @param tunnel the tunnel's name
 * @param beforeId only rows with a smaller id (the previous page's {@code next_before}); null: from the newest
 * @param limit rows per page, 1 to {@link #MAX_LIMIT}
 * @param method only this method (upper case), null: any
 * @param statusMin only statuses from here, with statusMax; null: any (a status class {@code 5xx} is 500-599)
 * @param statusMax only statuses up to here; null when statusMin is
 * @param pathContains only paths containing this text (ASCII case ignored), null: any
 * @param owner only rows of tunnels this user owned (an org user's scope), null: not limited so
 * @param ownerOrgId only rows of tunnels owned by members of this org (an org admin's scope), null: not limited so
 */
public record RequestLogQuery(String tunnel, Long beforeId, int limit, String method, Integer statusMin,
    Integer statusMax, String pathContains, String owner, String ownerOrgId) {
  /** Rows per page unless asked otherwise. */
  public static final int DEFAULT_LIMIT = 50;
  /** Rows per page at most; a larger limit is cut to this. */
  public static final int MAX_LIMIT = 200;

  public RequestLogQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: 1-" + MAX_LIMIT + ")");
    }
    if ((statusMin == null) != (statusMax == null)) {
      throw new IllegalArgumentException("statusMin and statusMax go together");
    }
  }

  /** The newest page of {@code tunnel}, unfiltered, every owner. */
  public static RequestLogQuery newest(String tunnel, int limit) {
    return new RequestLogQuery(tunnel, null, limit, null, null, null, null, null, null);
  }

  /**
   * A query from the API's parameters, each null when absent.
   *
   * @param before a row id, {@code next_before} of the previous page
   * @param limit rows per page (default {@value #DEFAULT_LIMIT}; more than {@value #MAX_LIMIT} is cut to it)
   * @param status a status such as {@code 404} or a class such as {@code 5xx}
   * @param q a substring of the path
   */
  public static RequestLogQuery parse(String tunnel, String before, String limit, String method, String status,
      String q) {
    Long beforeId = null;
    if (before != null) {
      beforeId = parseLong("before", before, "a request id, the next_before of the previous page");
      if (beforeId < 1) {
        throw new IllegalArgumentException("before: '" + before + "' (expected: a request id >= 1)");
      }
    }
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      long asked = parseLong("limit", limit, "a whole number 1-" + MAX_LIMIT);
      if (asked < 1) {
        throw new IllegalArgumentException("limit: '" + limit + "' (expected: a whole number 1-" + MAX_LIMIT + ")");
      }
      n = (int) Math.min(asked, MAX_LIMIT);
    }
    String m = null;
    if (method != null && !method.isEmpty()) {
      if (method.length() > 32 || !method.chars().allMatch(c -> c > ' ' && c < 127)) {
        throw new IllegalArgumentException("method: '" + method + "' (expected: a method such as GET)");
      }
      m = method.toUpperCase(Locale.ROOT);
    }
    Integer min = null;
    Integer max = null;
    if (status != null && !status.isEmpty()) {
      String s = status.toLowerCase(Locale.ROOT);
      if (s.matches("[1-5]xx")) {
        min = (s.charAt(0) - '0') * 100;
        max = min + 99;
      } else if (s.matches("\\d{1,3}")) {
        min = Integer.parseInt(s);
        max = min;
      } else {
        throw new IllegalArgumentException("status: '" + status + "' (expected: a status such as 404 or a class "
            + "such as 5xx)");
      }
    }
    String contains = q == null || q.isEmpty() ? null : q;
    if (contains != null && contains.length() > RequestLog.MAX_PATH_CHARS) {
      throw new IllegalArgumentException("q: " + contains.length() + " characters (expected: at most "
          + RequestLog.MAX_PATH_CHARS + ")");
    }
    return new RequestLogQuery(tunnel, beforeId, n, m, min, max, contains, null, null);
  }

  /** This query limited to the rows of tunnels that {@code ownerName} owned. */
  public RequestLogQuery ownedBy(String ownerName) {
    return new RequestLogQuery(tunnel, beforeId, limit, method, statusMin, statusMax, pathContains, ownerName,
        ownerOrgId);
  }

  /** This query limited to the rows of tunnels owned by members of the org {@code orgId}. */
  public RequestLogQuery ownedInOrg(String orgId) {
    return new RequestLogQuery(tunnel, beforeId, limit, method, statusMin, statusMax, pathContains, owner, orgId);
  }

  private static long parseLong(String name, String value, String expected) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' (expected: " + expected + ")");
    }
  }
}
