package dev.grok.server.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live tunnels by name. Lookups (every edge request) are a lock-free map read; registrations take the registry's
 * lock so that the name check, the user's limit and the insert are one step.
 */
public final class TunnelRegistry {
  private final ConcurrentHashMap<String, Tunnel> byName = new ConcurrentHashMap<>();
  private final int maxTunnelsPerUser;
  private final TunnelTraffic.Factory traffic;

  public TunnelRegistry(int maxTunnelsPerUser) {
    this(maxTunnelsPerUser, TunnelTraffic.Factory.NONE);
  }

  /** {@code traffic} creates each tunnel's metrics when it registers; they are closed when it ends. */
  public TunnelRegistry(int maxTunnelsPerUser, TunnelTraffic.Factory traffic) {
    if (maxTunnelsPerUser < 1) {
      throw new IllegalArgumentException("maxTunnelsPerUser: " + maxTunnelsPerUser + " (expected: >= 1)");
    }
    this.maxTunnelsPerUser = maxTunnelsPerUser;
    this.traffic = traffic;
  }

  /** Why a registration failed. */
  public enum Failure { INVALID_SUBDOMAIN, ALREADY_TAKEN, LIMIT_REACHED }

  /** Thrown by {@link #register}; the message is what the user reads. */
  public static final class RegistrationException extends Exception {
    private final Failure failure;

    RegistrationException(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /** The tunnel serving {@code name} (lower case), or null. */
  public Tunnel lookup(String name) {
    return byName.get(name);
  }

  /**
   * Registers {@code requested} (empty: a random name) for {@code owner}. A name live for another session of the
   * same user moves to {@code owner} (a client that reconnects after an unclean drop gets its name back at once).
   */
  public Tunnel register(String requested, int tunnelId, String user, TunnelOwner owner)
      throws RegistrationException {
    Tunnel evicted = null;
    Tunnel created;
    synchronized (this) {
      String name;
      if (requested == null || requested.isEmpty()) {
        do {
          name = SubdomainRules.random();
        } while (byName.containsKey(name));
      } else {
        try {
          name = SubdomainRules.normalize(requested);
        } catch (IllegalArgumentException e) {
          throw new RegistrationException(Failure.INVALID_SUBDOMAIN, e.getMessage());
        }
      }
      Tunnel existing = byName.get(name);
      if (existing != null && !existing.user().equals(user)) {
        throw new RegistrationException(Failure.ALREADY_TAKEN,
            "subdomain '" + name + "' is already taken by another user; choose another --subdomain");
      }
      long held = byName.values().stream()
          .filter(t -> t.user().equals(user) && t != existing).count();
      if (held >= maxTunnelsPerUser) {
        throw new RegistrationException(Failure.LIMIT_REACHED,
            "tunnel limit reached: user '" + user + "' already has " + held + " live tunnels (limit "
                + maxTunnelsPerUser + ")");
      }
      if (existing != null) {
        // Closed before the new one opens: both carry the same label, and closing removes the label's meters.
        existing.traffic().close();
      }
      created = new Tunnel(name, tunnelId, user, owner, traffic.open(name, user), System.currentTimeMillis());
      byName.put(name, created);
      if (existing != null && existing.owner() != owner) {
        evicted = existing;
      }
    }
    if (evicted != null) {
      evicted.owner().onTunnelEvicted(evicted, "taken over by a newer session of the same user");
    }
    return created;
  }

  /** Removes {@code tunnel} if it is still the live one for its name. */
  public boolean unregister(Tunnel tunnel) {
    boolean removed = byName.remove(tunnel.name(), tunnel);
    if (removed) {
      tunnel.traffic().close();
    }
    return removed;
  }

  /** Removes every tunnel of {@code owner}; returns them. */
  public List<Tunnel> unregisterAll(TunnelOwner owner) {
    List<Tunnel> removed = new ArrayList<>();
    for (Map.Entry<String, Tunnel> e : byName.entrySet()) {
      if (e.getValue().owner() == owner && byName.remove(e.getKey(), e.getValue())) {
        removed.add(e.getValue());
        e.getValue().traffic().close();
      }
    }
    return removed;
  }

  /** Every live tunnel now, in no particular order. */
  public List<Tunnel> all() {
    return List.copyOf(byName.values());
  }

  public int size() {
    return byName.size();
  }
}
