package dev.grok.server.requestlog;

import dev.grok.server.auth.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code request_log} table (V4): batch inserts, pages with filters, and the two retention deletes. Plain
 * portable SQL for SQLite and PostgreSQL; ids are assigned by the database. Thread-safe; failures surface as
 * {@link dev.grok.server.auth.TokenStoreException} (the database failed).
 */
final class RequestLogRepository {
  private static final String COLUMNS =
      "id, at, tunnel, method, path, status, duration_us, bytes_in, bytes_out, remote_addr, error";
  /** The escape character of the path filter's LIKE pattern. */
  private static final char LIKE_ESCAPE = '!';

  private final Sql sql;

  RequestLogRepository(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** One row to insert, with every text already cut to its column's width. */
  record NewRow(long atMillis, String tunnel, String owner, String method, String path, int status,
      long durationMicros, long bytesIn, long bytesOut, String remoteAddr, String error) {}

  /** Inserts {@code rows} in one transaction, as one JDBC batch. */
  void insert(List<NewRow> rows) {
    sql.inTransaction("write the request log", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO request_log (at, tunnel, owner_name, method,"
          + " path, status, duration_us, bytes_in, bytes_out, remote_addr, error)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (NewRow r : rows) {
          s.setLong(1, r.atMillis());
          s.setString(2, r.tunnel());
          s.setString(3, r.owner());
          s.setString(4, r.method());
          s.setString(5, r.path());
          s.setInt(6, r.status());
          s.setLong(7, r.durationMicros());
          s.setLong(8, r.bytesIn());
          s.setLong(9, r.bytesOut());
          setNullableString(s, 10, r.remoteAddr());
          setNullableString(s, 11, r.error());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  /** {@code query.limit() + 1} rows at most (the extra one says whether another page follows), newest first. */
  List<LoggedRequest> page(RequestLogQuery q) {
    List<Object> args = new ArrayList<>();
    String where = where(q, args);
    return sql.query("read the request log", "SELECT " + COLUMNS + " FROM request_log WHERE " + where
        + " ORDER BY id DESC LIMIT " + (q.limit() + 1), RequestLogRepository::row, args.toArray());
  }

  /** Whether {@code tunnel} has any row the query's scope (owner, org) lets its caller see; filters ignored. */
  boolean anyVisible(RequestLogQuery q) {
    List<Object> args = new ArrayList<>();
    String where = where(new RequestLogQuery(q.tunnel(), null, 1, null, null, null, null, q.owner(),
        q.ownerOrgId()), args);
    return sql.queryOne("read the request log", "SELECT id FROM request_log WHERE " + where + " LIMIT 1",
        rs -> rs.getLong(1), args.toArray()).isPresent();
  }

  private static String where(RequestLogQuery q, List<Object> args) {
    StringBuilder w = new StringBuilder("tunnel = ?");
    args.add(q.tunnel());
    if (q.beforeId() != null) {
      w.append(" AND id < ?");
      args.add(q.beforeId());
    }
    if (q.method() != null) {
      w.append(" AND method = ?");
      args.add(q.method());
    }
    if (q.statusMin() != null) {
      w.append(" AND status >= ? AND status <= ?");
      args.add(q.statusMin());
      args.add(q.statusMax());
    }
    if (q.pathContains() != null) {
      // LOWER on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not; now both ignore it.
      w.append(" AND LOWER(path) LIKE ? ESCAPE '").append(LIKE_ESCAPE).append("'");
      args.add("%" + escapeLike(q.pathContains().toLowerCase(java.util.Locale.ROOT)) + "%");
    }
    if (q.owner() != null) {
      w.append(" AND owner_name = ?");
      args.add(q.owner());
    }
    if (q.ownerOrgId() != null) {
      // the org admin's scope (admin.Scope): the owner is a member of their org
      w.append(" AND owner_name IN (SELECT name FROM users WHERE org_id = ?)");
      args.add(q.ownerOrgId());
    }
    return w.toString();
  }

  private static String escapeLike(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '%' || ch == '_' || ch == LIKE_ESCAPE) {
        b.append(LIKE_ESCAPE);
      }
      b.append(ch);
    }
    return b.toString();
  }

  /** Every tunnel that has rows (the first prune after a start looks at all of them). */
  List<String> tunnels() {
    return sql.query("read the request log", "SELECT DISTINCT tunnel FROM request_log", rs -> rs.getString(1));
  }

  /**
   * Deletes the rows of {@code tunnel} beyond its newest {@code keep}: finds the id of the first row to go through
   * the (tunnel, id) index, then deletes it and everything older in one statement.
   *
   * @return rows deleted
   */
  int keepNewest(String tunnel, int keep) {
    return sql.inTransaction("prune the request log", c -> {
      Optional<Long> firstGone = Sql.queryOne(c, "SELECT id FROM request_log WHERE tunnel = ? ORDER BY id DESC"
          + " LIMIT 1 OFFSET " + keep, rs -> rs.getLong(1), tunnel);
      return firstGone.isEmpty() ? 0
          : Sql.update(c, "DELETE FROM request_log WHERE tunnel = ? AND id <= ?", tunnel, firstGone.get());
    });
  }

  /**
   * Deletes at most {@code maxRows} rows that ended before {@code cutoffMillis} (a bounded statement: the caller
   * repeats it while it deletes a full chunk).
   *
   * @return rows deleted
   */
  int deleteOlderThan(long cutoffMillis, int maxRows) {
    return sql.update("prune the request log", "DELETE FROM request_log WHERE id IN (SELECT id FROM request_log"
        + " WHERE at < ? LIMIT " + maxRows + ")", cutoffMillis);
  }

  /** Rows of {@code tunnel}, all owners (tests and the retention checks). */
  long count(String tunnel) {
    return sql.queryOne("count the request log", "SELECT COUNT(*) FROM request_log WHERE tunnel = ?",
        rs -> rs.getLong(1), tunnel).orElse(0L);
  }

  private static LoggedRequest row(ResultSet rs) throws SQLException {
    return new LoggedRequest(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getString(11));
  }

  private static void setNullableString(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }
}
