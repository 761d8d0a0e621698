package dev.grok.server.tunnel;

import dev.grok.common.Limits;
import dev.grok.protocol.v1.GoingAway;
import dev.grok.server.auth.TokenStore;
import io.grpc.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live sessions by id, and the reaper that ends the dead ones: sessions silent for three heartbeat periods, and
 * sessions whose token was revoked (possibly by {@code grok-server token revoke} in another process: the database
 * is polled every {@link #POLL_MILLIS}, so a revoked token's sessions end within seconds).
 */
public final class SessionManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  /** How often revocations and heartbeats are checked; the contract allows 10 s for a revocation to bite. */
  static final long POLL_MILLIS = 2_000;

  private final ConcurrentHashMap<String, ControlSession> sessions = new ConcurrentHashMap<>();
  private final TokenStore tokens;
  private final ScheduledFuture<?> reaper;

  public SessionManager(TokenStore tokens, ScheduledExecutorService scheduler) {
    this.tokens = tokens;
    this.reaper = scheduler.scheduleWithFixedDelay(this::reap, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  void add(ControlSession session) {
    sessions.put(session.id(), session);
  }

  void remove(ControlSession session) {
    sessions.remove(session.id(), session);
  }

  /** The open session with this id, or null. */
  public ControlSession get(String id) {
    return id == null ? null : sessions.get(id);
  }

  public List<ControlSession> all() {
    return List.copyOf(sessions.values());
  }

  /** Server shutdown: every client is told to reconnect later, then its session ends. */
  public void goAwayAll(String message) {
    for (ControlSession s : sessions.values()) {
      s.goAway(GoingAway.Reason.SHUTDOWN, message, Status.UNAVAILABLE.withDescription(message));
    }
  }

  /**
   * Ends now the live sessions of these tokens, as a revocation would (the client exits 3, "invalid token"): for a
   * change made in this process, such as an administrator disabling a user, instead of waiting for the next poll.
   *
   * @return how many sessions were told to end
   */
  public int endSessionsOf(Set<String> tokenIds, String message) {
    int ended = 0;
    for (ControlSession s : sessions.values()) {
      if (tokenIds.contains(s.tokenId())) {
        s.goAway(GoingAway.Reason.TOKEN_REVOKED, message,
            Status.UNAUTHENTICATED.withDescription("invalid token: " + message));
        ended++;
      }
    }
    return ended;
  }

  private void reap() {
    try {
      long silentLimitNanos = TimeUnit.MILLISECONDS.toNanos(3L * Limits.HEARTBEAT_INTERVAL_MILLIS);
      long now = System.nanoTime();
      Set<String> tokenIds = new HashSet<>();
      for (ControlSession s : sessions.values()) {
        if (now - s.lastHeardNanos() > silentLimitNanos) {
          s.close(Status.UNAVAILABLE.withDescription("no heartbeat"), "no heartbeat for "
              + TimeUnit.NANOSECONDS.toSeconds(now - s.lastHeardNanos()) + " s");
        } else {
          tokenIds.add(s.tokenId());
        }
      }
      // Polled even with no live session: the store also drops revoked tokens from its cache here.
      Set<String> revoked = tokens.revokedAmong(tokenIds);
      for (ControlSession s : sessions.values()) {
        if (revoked.contains(s.tokenId())) {
          // The store cannot tell which: revoked, or its user or org disabled (possibly by another process).
          s.goAway(GoingAway.Reason.TOKEN_REVOKED, "invalid token: revoked, or its user or org disabled",
              Status.UNAUTHENTICATED.withDescription("invalid token: revoked, or its user or org disabled"));
        }
      }
    } catch (RuntimeException e) {
      log.warn("session reaper failed; retrying in {} ms", POLL_MILLIS, e);
    }
  }

  @Override
  public void close() {
    reaper.cancel(false);
  }
}
