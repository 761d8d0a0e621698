package dev.grok.server.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Dashboard sessions in the database (table {@code sessions}), so that every server on one database knows them and
 * a restart keeps people signed in. The cookie carries a random id; the table keeps its SHA-256 only, so a leaked
 * database does not hand out sessions. Expired rows are deleted whenever a session opens. Thread-safe.
 */
public final class SessionStore {
  /** A signed-in dashboard stays signed in this long. */
  public static final Duration TTL = Duration.ofHours(12);
  /** {@code last_seen_at} is written at most this often per session, not on every request. */
  static final long LAST_SEEN_RESOLUTION_MILLIS = 60_000;
  static final int RANDOM_BYTES = 24;

  /**
   * A session.
   *
   * @param id the cookie's value; known only right after {@link #open} (null when found by cookie: the caller has
   *     it)
   * @param userId who
   * @param csrf the token that state-changing requests must echo in {@code X-CSRF-Token}
   * @param expiresAtMillis epoch milliseconds
   */
  public record Session(String id, String userId, String csrf, long expiresAtMillis) {
    @Override
    public String toString() {
      return "Session[userId=" + userId + ", expiresAtMillis=" + expiresAtMillis + "]";
    }
  }

  private final Sql sql;
  private final LongSupplier clockMillis;
  private final SecureRandom random = new SecureRandom();

  SessionStore(Sql sql, LongSupplier clockMillis) {
    this.sql = sql;
    this.clockMillis = clockMillis;
  }

  /** Opens a session for the user; the returned {@link Session#id()} goes into the cookie. */
  public Session open(String userId) {
    long now = clockMillis.getAsLong();
    String id = randomToken();
    String csrf = randomToken();
    long expires = now + TTL.toMillis();
    sql.inTransaction("open a session", c -> {
      Sql.update(c, "DELETE FROM sessions WHERE expires_at <= ?", now); // the reaper: sign-ins are rare
      return Sql.update(c, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at,"
          + " last_seen_at) VALUES (?, ?, ?, ?, ?, ?)", TokenSecrets.hash(id), userId, csrf, now, expires, now);
    });
    return new Session(id, userId, csrf, expires);
  }

  /** The live session of this cookie value, or empty (unknown, expired, ended). */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return Optional.empty();
    }
    long now = clockMillis.getAsLong();
    String hash = TokenSecrets.hash(id);
    Optional<Object[]> row = sql.queryOne("look up a session", "SELECT user_id, csrf_token, expires_at,"
        + " last_seen_at FROM sessions WHERE id_hash = ?",
        rs -> new Object[] {new Session(null, rs.getString(1), rs.getString(2), rs.getLong(3)), rs.getLong(4)}, hash);
    if (row.isEmpty() || ((Session) row.get()[0]).expiresAtMillis() <= now) {
      return Optional.empty();
    }
    if (now - (long) row.get()[1] >= LAST_SEEN_RESOLUTION_MILLIS) {
      sql.update("touch a session", "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, hash);
    }
    return Optional.of((Session) row.get()[0]);
  }

  /** Ends the session of this cookie value; nothing when there is none. */
  public void end(String id) {
    if (id != null) {
      sql.update("end a session", "DELETE FROM sessions WHERE id_hash = ?", TokenSecrets.hash(id));
    }
  }

  /** Ends every session of a user (disabled, new password). */
  public int endAllOf(String userId) {
    return sql.update("end the sessions of user " + userId, "DELETE FROM sessions WHERE user_id = ?", userId);
  }

  private String randomToken() {
    byte[] b = new byte[RANDOM_BYTES];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
