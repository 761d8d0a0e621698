package dev.grok.server.registry;

import dev.grok.common.compress.TunnelCompression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live tunnels by name (HTTP) and by public port (TCP). Lookups (every edge request or connection) are a lock-free
 * map read; registrations take the registry's lock so that the name or port check, the user's limit (HTTP and TCP
 * tunnels together) and the insert are one step.
 */
public final class TunnelRegistry {
  private final ConcurrentHashMap<String, Tunnel> byName = new ConcurrentHashMap<>();
  /** TCP tunnels by public port; their {@link Tunnel#name()} is {@code tcp-PORT}, never routed by Host. */
  private final ConcurrentHashMap<Integer, Tunnel> byPort = new ConcurrentHashMap<>();
  private final int maxTunnelsPerUser;
  private final TunnelTraffic.Factory traffic;
  /**
   * Slugs of the existing orgs (lower case), whose {@code -SLUG} suffix only their members may publish; replaced
   * whole by {@link #orgSlugs(Set)} (the server's poll of the database). Empty until the first poll.
   */
  private volatile Set<String> orgSlugs = Set.of();

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
  public enum Failure { INVALID_SUBDOMAIN, ALREADY_TAKEN, LIMIT_REACHED, INVALID_PORT }

  /** Thrown by {@link #register}; the message is what the user reads. */
  public static final class RegistrationException extends Exception {
    private final Failure failure;

    public RegistrationException(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /**
   * Replaces the set of existing org slugs: a custom name ending in {@code -SLUG} of one of them is refused for
   * anyone outside that org (see {@link SubdomainRules#foreignOrgSuffix}). Live tunnels are not touched.
   */
  public void orgSlugs(Set<String> slugs) {
    orgSlugs = Set.copyOf(slugs);
  }

  /** Live HTTP tunnel names ending in {@code -SLUG}: those an org of that slug would claim. Sorted. */
  public List<String> namesUnderOrg(String slug) {
    String suffix = "-" + slug;
    return byName.keySet().stream().filter(n -> n.endsWith(suffix)).sorted().toList();
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
    return register(requested, tunnelId, user, owner, null, TunnelCompression.NONE);
  }

  /**
   * Like {@link #register(String, int, String, TunnelOwner)} for a tunnel whose visitors need {@code basicAuth}
   * (null: none) and whose request bodies are compressed by {@code compression}.
   */
  public Tunnel register(String requested, int tunnelId, String user, TunnelOwner owner, BasicAuth basicAuth,
      TunnelCompression compression) throws RegistrationException {
    return register(requested, null, tunnelId, user, owner, basicAuth, compression);
  }

  /**
   * Like {@link #register(String, int, String, TunnelOwner, BasicAuth, TunnelCompression)} for a member of the org
   * {@code orgSlug} (null: none): the name published is {@code NAME-ORGSLUG}, random names included, so that one
   * org's members never take another's names.
   */
  public Tunnel register(String requested, String orgSlug, int tunnelId, String user, TunnelOwner owner,
      BasicAuth basicAuth, TunnelCompression compression) throws RegistrationException {
    Tunnel evicted = null;
    Tunnel created;
    synchronized (this) {
      String name;
      if (requested == null || requested.isEmpty()) {
        do {
          name = SubdomainRules.withOrg(SubdomainRules.random(), orgSlug);
        } while (byName.containsKey(name));
      } else {
        try {
          name = SubdomainRules.withOrg(SubdomainRules.normalize(requested), orgSlug);
        } catch (IllegalArgumentException e) {
          throw new RegistrationException(Failure.INVALID_SUBDOMAIN, e.getMessage());
        }
        String foreign = SubdomainRules.foreignOrgSuffix(name, orgSlugs, orgSlug);
        if (foreign != null) {
          String it = orgSlug == null ? "it" : "published as '" + name + "', it";
          throw new RegistrationException(Failure.INVALID_SUBDOMAIN, "invalid subdomain '" + requested + "': " + it
              + " ends in '-" + foreign + "', the suffix of the tunnels of org '" + foreign + "' (expected: a "
              + "--subdomain that does not end so; to publish under '" + foreign + "', ask its admin to add your "
              + "user to the org)");
        }
      }
      Tunnel existing = byName.get(name);
      if (existing != null && !existing.user().equals(user)) {
        throw new RegistrationException(Failure.ALREADY_TAKEN,
            "subdomain '" + name + "' is already taken by another user; choose another --subdomain");
      }
      checkLimit(user, existing);
      if (existing != null) {
        // Closed before the new one opens: both carry the same label, and closing removes the label's meters.
        existing.traffic().close();
      }
      created = new Tunnel(name, tunnelId, user, owner, 0, basicAuth, compression, traffic.open(name, user),
          System.currentTimeMillis());
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

  /**
   * Registers public port {@code port} for {@code owner} (the caller chose a port of its range). Like names, a port
   * live for another session of the same user moves to {@code owner}; held by another user it is refused.
   */
  public Tunnel registerPort(int port, int tunnelId, String user, TunnelOwner owner) throws RegistrationException {
    Tunnel evicted = null;
    Tunnel created;
    synchronized (this) {
      Tunnel existing = byPort.get(port);
      if (existing != null && !existing.user().equals(user)) {
        throw new RegistrationException(Failure.ALREADY_TAKEN,
            "TCP port " + port + " is already taken by another user; choose another --remote-port or leave it out");
      }
      checkLimit(user, existing);
      if (existing != null) {
        existing.traffic().close();
      }
      created = new Tunnel(tcpName(port), tunnelId, user, owner, port, null, TunnelCompression.NONE,
          traffic.open(tcpName(port), user), System.currentTimeMillis());
      byPort.put(port, created);
      if (existing != null && existing.owner() != owner) {
        evicted = existing;
      }
    }
    if (evicted != null) {
      evicted.owner().onTunnelEvicted(evicted, "taken over by a newer session of the same user");
    }
    return created;
  }

  /** The TCP tunnel on public port {@code port}, or null. */
  public Tunnel lookupPort(int port) {
    return byPort.get(port);
  }

  /** The name of the TCP tunnel on {@code port} (logs, metrics labels): {@code tcp-PORT}. */
  public static String tcpName(int port) {
    return "tcp-" + port;
  }

  /** Caller holds the lock. {@code replaced} is the user's tunnel the registration replaces, or null. */
  private void checkLimit(String user, Tunnel replaced) throws RegistrationException {
    long held = byName.values().stream().filter(t -> t.user().equals(user) && t != replaced).count()
        + byPort.values().stream().filter(t -> t.user().equals(user) && t != replaced).count();
    if (held >= maxTunnelsPerUser) {
      throw new RegistrationException(Failure.LIMIT_REACHED,
          "tunnel limit reached: user '" + user + "' already has " + held + " live tunnels (limit "
              + maxTunnelsPerUser + ")");
    }
  }

  /** Removes {@code tunnel} if it is still the live one for its name or port. */
  public boolean unregister(Tunnel tunnel) {
    boolean removed = tunnel.isTcp() ? byPort.remove(tunnel.port(), tunnel) : byName.remove(tunnel.name(), tunnel);
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
    for (Map.Entry<Integer, Tunnel> e : byPort.entrySet()) {
      if (e.getValue().owner() == owner && byPort.remove(e.getKey(), e.getValue())) {
        removed.add(e.getValue());
        e.getValue().traffic().close();
      }
    }
    return removed;
  }

  /** Every live tunnel now, in no particular order. */
  public List<Tunnel> all() {
    List<Tunnel> all = new ArrayList<>(byName.values());
    all.addAll(byPort.values());
    return all;
  }

  public int size() {
    return byName.size() + byPort.size();
  }
}
