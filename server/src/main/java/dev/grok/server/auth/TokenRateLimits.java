package dev.grok.server.auth;

import dev.grok.server.ratelimit.RateLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The per-token overrides of the edge's rate limit ({@code tokens.rate_limit_rps}, {@code rate_limit_burst};
 * migration V3), written by {@code grok-server token create NAME --rate-limit RPS} and read by the server every
 * few seconds, so a change reaches running tunnels without a restart. Thread-safe (a connection per call).
 */
public final class TokenRateLimits {
  private final DataSource dataSource;

  TokenRateLimits(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Stores {@code limit} for the token with id {@code tokenId} ({@link RateLimit#UNLIMITED} makes it unlimited
   * whatever the server's default); null goes back to the server's default.
   *
   * @return false when no token has this id
   */
  public boolean set(String tokenId, RateLimit limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "UPDATE tokens SET rate_limit_rps = ?, rate_limit_burst = ? WHERE id = ?")) {
      if (limit == null) {
        s.setNull(1, Types.INTEGER);
        s.setNull(2, Types.INTEGER);
      } else {
        s.setInt(1, limit.requestsPerSecond());
        s.setInt(2, limit.burst());
      }
      s.setString(3, tokenId);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new TokenStoreException("cannot store the rate limit of token " + tokenId + ": " + e.getMessage(), e);
    }
  }

  /** Every override of a valid token, by token id. */
  public Map<String, RateLimit> all() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id, rate_limit_rps, rate_limit_burst FROM tokens"
            + " WHERE rate_limit_rps IS NOT NULL AND revoked_at IS NULL");
        ResultSet rs = s.executeQuery()) {
      Map<String, RateLimit> limits = new HashMap<>();
      while (rs.next()) {
        limits.put(rs.getString(1), RateLimit.of(rs.getInt(2), rs.getInt(3)));
      }
      return limits;
    } catch (SQLException e) {
      throw new TokenStoreException("cannot read the tokens' rate limits: " + e.getMessage(), e);
    }
  }
}
