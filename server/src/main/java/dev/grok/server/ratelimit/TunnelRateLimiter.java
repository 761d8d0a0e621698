package dev.grok.server.ratelimit;

import dev.grok.server.registry.Tunnel;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Requests per second per live tunnel: one {@link TokenBucket} per tunnel, made at its first request with the
 * override of the tunnel's token when there is one, else the server's default. The edge asks
 * {@link #retryAfterSeconds} once per request after it resolved the tunnel; a refusal is a 429 with
 * {@code Retry-After}.
 *
 * <p>When no limit is configured at all (the default) the check is one volatile read. Thread-safe: the edge loops
 * call {@link #retryAfterSeconds}; {@link #refresh} runs on the server's scheduler (new overrides from the
 * database, and the reaper of the buckets of tunnels that ended).
 */
public final class TunnelRateLimiter {
  /** No limit, ever. */
  public static final TunnelRateLimiter OFF = new TunnelRateLimiter(RateLimit.UNLIMITED, t -> null, System::nanoTime);

  private final RateLimit defaultLimit;
  /** The token id of a tunnel (null when unknown), to find its override. */
  private final Function<Tunnel, String> tokenOf;
  private final LongSupplier nanoClock;
  /** Overrides by token id; replaced whole by {@link #refresh}. */
  private volatile Map<String, RateLimit> overrides = Map.of();
  /** Some limit may apply: the default limits, or some token has an override. */
  private volatile boolean active;
  /**
   * The bucket of each tunnel that had a request; empty for an unlimited one, so that it is resolved once, not at
   * every request. Reaped by {@link #refresh}.
   */
  private final ConcurrentHashMap<Tunnel, Optional<TokenBucket>> buckets = new ConcurrentHashMap<>();

  /**
   * @param defaultLimit the limit of a tunnel whose token has no override
   * @param tokenOf the id of the token a tunnel was opened with (null when unknown)
   * @param nanoClock the buckets' clock (System::nanoTime; a fake one in tests)
   */
  public TunnelRateLimiter(RateLimit defaultLimit, Function<Tunnel, String> tokenOf, LongSupplier nanoClock) {
    this.defaultLimit = defaultLimit;
    this.tokenOf = tokenOf;
    this.nanoClock = nanoClock;
    this.active = !defaultLimit.isUnlimited();
  }

  /**
   * Counts one request to {@code tunnel}. Returns 0 when it may go on, else the whole seconds (at least 1) after
   * which a request would be admitted, for the 429's {@code Retry-After}.
   */
  public long retryAfterSeconds(Tunnel tunnel) {
    if (!active) {
      return 0;
    }
    Optional<TokenBucket> bucket = buckets.get(tunnel);
    if (bucket == null) {
      bucket = buckets.computeIfAbsent(tunnel, t -> {
        RateLimit limit = limitOf(t);
        return limit.isUnlimited() ? Optional.empty()
            : Optional.of(new TokenBucket(limit, nanoClock));
      });
    }
    if (bucket.isEmpty()) {
      return 0;
    }
    long waitNanos = bucket.get().tryTake();
    long second = TimeUnit.SECONDS.toNanos(1);
    return waitNanos == 0 ? 0 : Math.max(1, (waitNanos + second - 1) / second);
  }

  /** The limit that applies to {@code tunnel} now. */
  public RateLimit limitOf(Tunnel tunnel) {
    String token = tokenOf.apply(tunnel);
    RateLimit override = token == null ? null : overrides.get(token);
    return override != null ? override : defaultLimit;
  }

  /**
   * Takes the overrides now stored with the tokens (buckets start again, full, when they changed) and forgets the
   * buckets of tunnels that are no longer among {@code liveTunnels}.
   */
  public void refresh(Map<String, RateLimit> newOverrides, Collection<Tunnel> liveTunnels) {
    if (!newOverrides.equals(overrides)) {
      overrides = Map.copyOf(newOverrides);
      active = !defaultLimit.isUnlimited() || !overrides.isEmpty();
      buckets.clear();
      return;
    }
    Set<Tunnel> live = new HashSet<>(liveTunnels);
    buckets.keySet().removeIf(t -> !live.contains(t));
  }

  /** Tunnels that hold a bucket now (tests, reaper checks). */
  int trackedTunnels() {
    return buckets.size();
  }

  public RateLimit defaultLimit() {
    return defaultLimit;
  }
}
