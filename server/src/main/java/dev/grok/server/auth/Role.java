package dev.grok.server.auth;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an account may see and change: the super admin everything, an org admin their org's users, tokens and
 * tunnels, an org user their own tokens and tunnels. Stored and spoken (CLI, JSON) by {@link #wireName()}.
 */
public enum Role {
  SUPER_ADMIN,
  ORG_ADMIN,
  ORG_USER;

  /** {@code super_admin}, {@code org_admin}, {@code org_user}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code s}; the error lists the valid names. */
  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.wireName().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("role: '" + s + "' (expected: one of "
        + String.join(", ", Arrays.stream(values()).map(Role::wireName).toList()) + ")");
  }
}
