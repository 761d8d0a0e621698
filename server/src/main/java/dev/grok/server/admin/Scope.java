package dev.grok.server.admin;

import dev.grok.server.auth.Account;
import dev.grok.server.auth.AccountStore;
import dev.grok.server.auth.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one caller may see and change, for one API call: the super admin everything; an org admin the users of
 * their org and those users' tokens and tunnels; anyone else their own tokens and tunnels. Objects are owned by a
 * user name (a token's user, a tunnel's user); owners are looked up once per call. Callers answer 404 for an object
 * outside the scope, exactly as for one that does not exist, so that ids cannot be probed across orgs.
 */
final class Scope {
  private final Account caller;
  private final AccountStore users;
  /** Owner name to account (empty: no such account); this call's thread only. */
  private final Map<String, Optional<Account>> owners = new HashMap<>();

  Scope(Account caller, AccountStore users) {
    this.caller = caller;
    this.users = users;
  }

  Account caller() {
    return caller;
  }

  boolean isSuperAdmin() {
    return caller.role() == Role.SUPER_ADMIN;
  }

  /** Whether the caller may see and change what the user named {@code ownerName} owns. */
  boolean covers(String ownerName) {
    if (isSuperAdmin() || caller.name().equals(ownerName)) {
      return true;
    }
    if (caller.role() != Role.ORG_ADMIN || caller.orgId() == null) {
      return false;
    }
    return owner(ownerName).map(a -> Objects.equals(a.orgId(), caller.orgId())).orElse(false);
  }

  /** Whether the caller may see and manage the account {@code a}. */
  boolean covers(Account a) {
    return isSuperAdmin() || a.id().equals(caller.id())
        || (caller.role() == Role.ORG_ADMIN && caller.orgId() != null && caller.orgId().equals(a.orgId()));
  }

  Optional<Account> owner(String name) {
    return owners.computeIfAbsent(name, users::userByName);
  }

  /** The org whose objects the caller sees, null for all (super admin) or none (an org user sees only their own). */
  String orgFilter() {
    return isSuperAdmin() ? null : caller.orgId();
  }
}
