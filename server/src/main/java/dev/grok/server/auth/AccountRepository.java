package dev.grok.server.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of users and orgs, portable between SQLite and PostgreSQL. No validation (that is {@link AccountStore}'s
 * job). Thread-safe.
 */
final class AccountRepository {
  /** A user with the secrets that sign-in needs; never leaves the auth package. */
  record UserRow(Account account, String passwordHash, String totpSecret, Long totpLastStep) {}

  private static final String SELECT_USER = "SELECT u.id, u.name, u.email, u.display_name, u.role, u.org_id,"
      + " o.slug, u.password_hash, u.totp_secret, u.totp_enabled_at, u.totp_last_step, u.disabled_at,"
      + " o.disabled_at AS org_disabled_at, u.created_at FROM users u LEFT JOIN orgs o ON o.id = u.org_id";
  private static final String SELECT_ORG = "SELECT id, slug, name, disabled_at, created_at FROM orgs";

  private final Sql sql;

  AccountRepository(Sql sql) {
    this.sql = sql;
  }

  // ---- orgs ----

  void insertOrg(String id, String slug, String name, long nowMillis) {
    sql.update("create org '" + slug + "'", "INSERT INTO orgs (id, slug, name, created_at) VALUES (?, ?, ?, ?)",
        id, slug, name, nowMillis);
  }

  Optional<Org> orgBySlug(String slug) {
    return sql.queryOne("look up org '" + slug + "'", SELECT_ORG + " WHERE slug = ?", AccountRepository::org, slug);
  }

  Optional<Org> orgById(String id) {
    return sql.queryOne("look up org " + id, SELECT_ORG + " WHERE id = ?", AccountRepository::org, id);
  }

  List<Org> orgs() {
    return sql.query("list orgs", SELECT_ORG + " ORDER BY slug", AccountRepository::org);
  }

  boolean disableOrg(String slug, long nowMillis) {
    return sql.update("disable org '" + slug + "'",
        "UPDATE orgs SET disabled_at = ? WHERE slug = ? AND disabled_at IS NULL", nowMillis, slug) == 1;
  }

  // ---- users ----

  void insertUser(String id, String email, String displayName, Role role, String orgId, String passwordHash,
      long nowMillis) {
    sql.update("create user '" + email + "'", "INSERT INTO users (id, name, email, display_name, role, org_id,"
        + " password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, email, email, displayName,
        role.wireName(), orgId, passwordHash, nowMillis);
  }

  /** The user whose email, or failing that name, is {@code key} (as given, then lower-cased). */
  Optional<UserRow> userByEmail(String key) {
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    return sql.queryOne("look up user '" + key + "'", SELECT_USER
        + " WHERE u.email = ? OR u.email = ? OR u.name = ? ORDER BY CASE WHEN u.email = ? THEN 0 ELSE 1 END",
        AccountRepository::user, lower, key, key, lower);
  }

  Optional<UserRow> userById(String id) {
    return sql.queryOne("look up user " + id, SELECT_USER + " WHERE u.id = ?", AccountRepository::user, id);
  }

  Optional<UserRow> userByName(String name) {
    return sql.queryOne("look up user '" + name + "'", SELECT_USER + " WHERE u.name = ?", AccountRepository::user,
        name);
  }

  /** Every user, or only those of {@code orgId} when it is not null. */
  List<Account> users(String orgId) {
    return orgId == null
        ? sql.query("list users", SELECT_USER + " ORDER BY u.email", rs -> user(rs).account())
        : sql.query("list users", SELECT_USER + " WHERE u.org_id = ? ORDER BY u.email", rs -> user(rs).account(),
            orgId);
  }

  boolean disableUser(String id, long nowMillis) {
    return sql.update("disable user " + id, "UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
        nowMillis, id) == 1;
  }

  boolean enableUser(String id) {
    return sql.update("enable user " + id,
        "UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL", id) == 1;
  }

  void setPasswordHash(String id, String hash) {
    sql.update("set the password of user " + id, "UPDATE users SET password_hash = ? WHERE id = ?", hash, id);
  }

  /** A new secret, not in force until {@link #enableTotp}; refused (false) while 2FA is on. */
  boolean setPendingTotpSecret(String id, String secret) {
    return sql.update("set up 2FA for user " + id, "UPDATE users SET totp_secret = ?, totp_last_step = NULL"
        + " WHERE id = ? AND totp_enabled_at IS NULL", secret, id) == 1;
  }

  boolean enableTotp(String id, long step, long nowMillis) {
    return sql.update("enable 2FA for user " + id, "UPDATE users SET totp_enabled_at = ?, totp_last_step = ?"
        + " WHERE id = ? AND totp_secret IS NOT NULL AND totp_enabled_at IS NULL", nowMillis, step, id) == 1;
  }

  void disableTotp(String id) {
    sql.inTransaction("disable 2FA for user " + id, c -> {
      Sql.update(c, "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL"
          + " WHERE id = ?", id);
      return Sql.update(c, "DELETE FROM recovery_codes WHERE user_id = ?", id);
    });
  }

  /**
   * Records that the code of {@code step} was used; false when it or a later one was used already (two sign-ins
   * racing with one code: exactly one wins, the database decides).
   */
  boolean useTotpStep(String id, long step) {
    return sql.update("record a 2FA code", "UPDATE users SET totp_last_step = ? WHERE id = ?"
        + " AND (totp_last_step IS NULL OR totp_last_step < ?)", step, id, step) == 1;
  }

  void replaceRecoveryCodes(String id, List<String> hashes) {
    sql.inTransaction("store recovery codes", c -> {
      Sql.update(c, "DELETE FROM recovery_codes WHERE user_id = ?", id);
      for (String h : hashes) {
        Sql.update(c, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", id, h);
      }
      return null;
    });
  }

  /** Marks an unused recovery code used; false when there is no such unused code. */
  boolean useRecoveryCode(String id, String hash, long nowMillis) {
    return sql.update("use a recovery code", "UPDATE recovery_codes SET used_at = ? WHERE user_id = ?"
        + " AND code_hash = ? AND used_at IS NULL", nowMillis, id, hash) == 1;
  }

  int unusedRecoveryCodes(String id) {
    return sql.queryOne("count recovery codes", "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?"
        + " AND used_at IS NULL", rs -> rs.getInt(1), id).orElse(0);
  }

  private static Org org(ResultSet rs) throws SQLException {
    return new Org(rs.getString("id"), rs.getString("slug"), rs.getString("name"),
        Sql.nullableLong(rs, "disabled_at") != null, Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static UserRow user(ResultSet rs) throws SQLException {
    String hash = rs.getString("password_hash");
    boolean disabled = Sql.nullableLong(rs, "disabled_at") != null || Sql.nullableLong(rs, "org_disabled_at") != null;
    Account a = new Account(rs.getString("id"), rs.getString("name"), rs.getString("email"),
        rs.getString("display_name"), Role.parse(rs.getString("role")), rs.getString("org_id"), rs.getString("slug"),
        hash != null, Sql.nullableLong(rs, "totp_enabled_at") != null, disabled,
        Instant.ofEpochMilli(rs.getLong("created_at")));
    return new UserRow(a, hash, rs.getString("totp_secret"), Sql.nullableLong(rs, "totp_last_step"));
  }
}
