package dev.grok.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Who did what, when and from where (table {@code audit_log}): sign-ins, failed ones too, changes to users, orgs
 * and tokens, tunnel stops. Written synchronously by the admin API and the CLI (rare events). Thread-safe.
 */
public final class AuditLog {
  /** Entries per page at most. */
  public static final int MAX_PAGE = 200;
  /** Column sizes of V2's {@code audit_log}: longer values are cut. */
  static final int MAX_TEXT_CHARS = 254;
  static final int MAX_ACTION_CHARS = 64;
  static final int MAX_ADDRESS_CHARS = 64;
  static final int MAX_DETAIL_CHARS = 512;

  /**
   * One entry.
   *
   * @param actor who (an email, a user name, {@code cli}), null when unknown (a failed sign-in of an unknown email)
   * @param orgId the org the entry concerns, null for server-wide ones
   * @param address the caller's IP address, null from the CLI
   */
  public record Entry(String id, Instant at, String actor, String action, String target, String orgId,
      String address, String detail) {}

  private final Sql sql;
  private final LongSupplier clockMillis;
  private final java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();

  AuditLog(Sql sql, LongSupplier clockMillis) {
    this.sql = sql;
    this.clockMillis = clockMillis;
  }

  public void record(String actor, String action, String target, String orgId, String address, String detail) {
    long now = clockMillis.getAsLong();
    // Ids sort by time (paging goes by id): milliseconds, then this process's sequence (entries of one millisecond
    // keep their order), then random characters (two processes in one millisecond never collide).
    String id = String.format("aud_%013d%04d%s", now, sequence.getAndIncrement() % 10_000,
        TokenSecrets.newId("").substring(0, 4));
    // Cut to the columns' sizes: actor and target may be whatever a failed sign-in typed, and PostgreSQL refuses a
    // value longer than its VARCHAR (SQLite would store it whole).
    sql.update("write the audit log", "INSERT INTO audit_log (id, at, actor, action, target, org_id, address, detail)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, now, cut(actor, MAX_TEXT_CHARS), cut(action, MAX_ACTION_CHARS),
        cut(target, MAX_TEXT_CHARS), orgId, cut(address, MAX_ADDRESS_CHARS), cut(detail, MAX_DETAIL_CHARS));
  }

  private static String cut(String s, int maxChars) {
    return s == null || s.length() <= maxChars ? s : s.substring(0, maxChars);
  }

  /**
   * One page of the log.
   *
   * @param entries newest first
   * @param nextBefore the {@code beforeId} of the next (older) page, null when this page ends with the oldest entry
   */
  public record Page(List<Entry> entries, String nextBefore) {}

  /**
   * Newest first, older than the entry {@code beforeId} (null: from the newest), at most {@code limit}.
   *
   * @param orgId only this org's entries, null for all
   */
  public List<Entry> page(String orgId, String beforeId, int limit) {
    return query(orgId, beforeId, Math.max(1, Math.min(limit, MAX_PAGE)));
  }

  /** Like {@link #page}, with the cursor of the next page (one row more is read to know whether there is one). */
  public Page pageWithNext(String orgId, String beforeId, int limit) {
    int n = Math.max(1, Math.min(limit, MAX_PAGE));
    List<Entry> rows = query(orgId, beforeId, n + 1);
    return rows.size() <= n ? new Page(rows, null) : new Page(List.copyOf(rows.subList(0, n)), rows.get(n - 1).id());
  }

  private List<Entry> query(String orgId, String beforeId, int n) {
    String where = (orgId == null ? "1 = 1" : "org_id = ?") + (beforeId == null ? "" : " AND id < ?");
    Object[] args = orgId == null ? (beforeId == null ? new Object[0] : new Object[] {beforeId})
        : beforeId == null ? new Object[] {orgId} : new Object[] {orgId, beforeId};
    return sql.query("read the audit log", "SELECT id, at, actor, action, target, org_id, address, detail"
        + " FROM audit_log WHERE " + where + " ORDER BY id DESC LIMIT " + n, rs -> new Entry(rs.getString(1),
            Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getString(7), rs.getString(8)), args);
  }
}
