package dev.grok.server.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The SQL of the token store, portable between SQLite and PostgreSQL. No caching and no validation: that is
 * {@link TokenStore}'s job. Thread-safe (every call borrows its own connection).
 */
final class TokenRepository {
  /** Ids per {@code IN (...)} list: far below the bind-parameter limits of SQLite (32766) and PostgreSQL (32767). */
  static final int MAX_IDS_PER_QUERY = 500;

  private static final String SELECT_INFO = "SELECT t.id, t.name, u.name, t.revoked_at, t.created_at, o.slug"
      + " FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN orgs o ON o.id = u.org_id";
  /** The token's user is not disabled, nor their org (none: o.disabled_at is NULL through the LEFT JOIN). */
  private static final String OWNER_ENABLED = "u.disabled_at IS NULL AND o.disabled_at IS NULL";

  /** Connections and transactions, as the account tables use them. */
  private final Sql db;

  TokenRepository(DataSource dataSource) {
    this.db = new Sql(dataSource);
  }

  /**
   * Inserts the token, and its user when missing, in one transaction.
   *
   * @return false when this user has a token with this name already (names are unique per user, migration V5)
   */
  boolean insert(String tokenId, String name, String user, String tokenHash, long nowMillis) {
    return db.inTransaction("create token '" + name + "'", c -> {
      if (nameTaken(c, name, user)) {
        return false;
      }
      Optional<String> existingUserId = queryString(c, "SELECT id FROM users WHERE name = ?", user);
      String userId = existingUserId.isPresent() ? existingUserId.get() : TokenSecrets.newId("usr_");
      if (existingUserId.isEmpty()) {
        // A user made by `token create --user U`: no password (cannot sign in until `user passwd`), email = name;
        // the bootstrap user is the super admin.
        update(c, "INSERT INTO users (id, name, email, role, created_at) VALUES (?, ?, ?, ?, ?)", userId, user, user,
            user.equals(TokenStore.ADMIN_USER) ? Role.SUPER_ADMIN.wireName() : Role.ORG_USER.wireName(), nowMillis);
      }
      update(c, "INSERT INTO tokens (id, name, user_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
          tokenId, name, userId, tokenHash, nowMillis);
      return true;
    });
  }

  /** Whether {@code user} has a token named {@code name}; another user's token of that name does not count. */
  boolean nameTaken(String name, String user) {
    return db.withConnection("look up token '" + name + "'", c -> nameTaken(c, name, user));
  }

  private static boolean nameTaken(Connection c, String name, String user) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT t.id FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.name = ? AND u.name = ?")) {
      s.setString(1, name);
      s.setString(2, user);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Names of {@code user}'s tokens equal to {@code base} or starting with {@code base-}. */
  Set<String> namesLike(String base, String user) {
    return db.withConnection("list token names", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT t.name FROM tokens t JOIN users u ON u.id = t.user_id"
          + " WHERE u.name = ? AND (t.name = ? OR t.name LIKE ?)")) {
        s.setString(1, user);
        s.setString(2, base);
        s.setString(3, base + "-%");
        Set<String> names = new HashSet<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
        return names;
      }
    });
  }

  /**
   * The token with this hash, revoked or not, when its user and the user's org are enabled: a disabled user's
   * tokens authenticate nothing (they work again once the user is enabled, unless revoked meanwhile).
   */
  Optional<TokenInfo> findByHash(String tokenHash) {
    return db.withConnection("authenticate a token", c -> {
      List<TokenInfo> found = queryInfos(c, SELECT_INFO + " WHERE t.token_hash = ? AND " + OWNER_ENABLED,
          tokenHash);
      return found.stream().findFirst();
    });
  }

  List<TokenInfo> listAll() {
    return db.withConnection("list tokens", c -> queryInfos(c, SELECT_INFO + " ORDER BY t.created_at, t.id"));
  }

  /**
   * Marks the token revoked (keeping the first revocation time when it was revoked already).
   *
   * @return the token's id, or empty when no token has this id or name
   * @throws IllegalArgumentException when no id matches and tokens of several users have this name
   */
  Optional<String> revoke(String idOrName, long nowMillis) {
    return db.inTransaction("revoke token '" + idOrName + "'", c -> {
      Optional<String> id = queryString(c, "SELECT id FROM tokens WHERE id = ?", idOrName);
      if (id.isEmpty()) {
        List<String> named = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM tokens WHERE name = ? ORDER BY id")) {
          s.setString(1, idOrName);
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              named.add(rs.getString(1));
            }
          }
        }
        if (named.size() > 1) {
          throw new IllegalArgumentException("token name '" + idOrName + "' belongs to " + named.size()
              + " tokens of different users (" + String.join(", ", named) + "; expected: one token's ID, see "
              + "'token list')");
        }
        id = named.stream().findFirst();
      }
      if (id.isPresent()) {
        update(c, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", nowMillis, id.get());
      }
      return id;
    });
  }

  /** The ids among these that exist, are not revoked, and whose user and org are enabled. */
  Set<String> validAmong(Set<String> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    List<String> all = new ArrayList<>(ids);
    return db.withConnection("check revoked tokens", c -> {
      Set<String> valid = new HashSet<>();
      for (int from = 0; from < all.size(); from += MAX_IDS_PER_QUERY) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + MAX_IDS_PER_QUERY));
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement s = c.prepareStatement(
            "SELECT t.id FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN orgs o ON o.id = u.org_id"
                + " WHERE t.revoked_at IS NULL AND " + OWNER_ENABLED + " AND t.id IN (" + marks + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            s.setString(i + 1, chunk.get(i));
          }
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              valid.add(rs.getString(1));
            }
          }
        }
      }
      return valid;
    });
  }

  private static Optional<String> queryString(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static List<TokenInfo> queryInfos(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      List<TokenInfo> infos = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rs.getLong(4);
          boolean revoked = !rs.wasNull();
          infos.add(new TokenInfo(rs.getString(1), rs.getString(2), rs.getString(3), revoked,
              Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
        }
      }
      return infos;
    }
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }
}
