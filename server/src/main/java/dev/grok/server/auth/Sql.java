package dev.grok.server.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC for the token and account tables: one borrowed connection per call, transactions that roll back on any
 * failure, parameters bound by position. Failures surface as {@link TokenStoreException} (the database failed),
 * never as SQLException. Thread-safe. Public for the other tables' repositories (the request log).
 */
public final class Sql {
  /** Maps the current row. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;

  public Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public <T> T withConnection(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new TokenStoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction. No setAutoCommit(true) afterwards: HikariCP resets it when the connection
   * goes back to the pool, and doing it in a finally block would mask the original failure on a broken connection.
   */
  public <T> T inTransaction(String what, Work<T> work) {
    return withConnection(what, c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    });
  }

  public <T> List<T> query(String what, String sql, Row<T> row, Object... args) {
    return withConnection(what, c -> query(c, sql, row, args));
  }

  public <T> Optional<T> queryOne(String what, String sql, Row<T> row, Object... args) {
    return withConnection(what, c -> queryOne(c, sql, row, args));
  }

  public int update(String what, String sql, Object... args) {
    return withConnection(what, c -> update(c, sql, args));
  }

  public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.map(rs));
      }
      return out;
    }
  }

  public static <T> Optional<T> queryOne(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args)) {
      return s.executeUpdate();
    }
  }

  /** A nullable BIGINT column as a nullable Long. */
  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          s.setNull(i + 1, java.sql.Types.NULL); // untyped: PostgreSQL infers the column type
        } else {
          s.setObject(i + 1, args[i]);
        }
      }
      return s;
    } catch (SQLException e) {
      s.close();
      throw e;
    }
  }
}
