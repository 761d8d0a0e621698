package dev.grok.server.registry;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The contract's subdomain rules: 3-63 of [a-z0-9-] after lower-casing, no edge hyphen, not reserved. */
public final class SubdomainRules {
  private SubdomainRules() {}

  /** Names a tunnel may never take: they are, or will be, the server's own. */
  public static final Set<String> RESERVED = Set.of(
      "www", "api", "admin", "dashboard", "grok", "app", "mail", "ftp", "static", "status", "metrics", "health",
      "tunnel", "tunnels", "inspect", "login", "auth", "root", "localhost");

  /** Length of random names: 10 of [a-z0-9] is ~51 bits, collisions are not a concern. */
  public static final int RANDOM_NAME_LENGTH = 10;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{1,61})[a-z0-9]");
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Lower-cases {@code requested}; throws with the reason when it is not an allowed name. */
  public static String normalize(String requested) {
    String name = requested.toLowerCase(Locale.ROOT);
    if (!LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid subdomain '" + requested
          + "' (expected: 3-63 characters of a-z, 0-9 and '-', not starting or ending with '-')");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException("invalid subdomain '" + requested + "' (expected: not a reserved name)");
    }
    return name;
  }

  /**
   * The name published for {@code name} of a member of org {@code orgSlug}: {@code NAME-ORGSLUG}, or name itself
   * when orgSlug is null. Throws when the result is longer than a DNS label (63).
   */
  public static String withOrg(String name, String orgSlug) {
    if (orgSlug == null) {
      return name;
    }
    String published = name + "-" + orgSlug;
    if (published.length() > 63) {
      throw new IllegalArgumentException("invalid subdomain '" + name + "' (expected: at most "
          + (62 - orgSlug.length()) + " characters, since it is published as NAME-" + orgSlug + ")");
    }
    return published;
  }

  /**
   * The org whose members' namespace {@code published} lies in, other than {@code ownOrg} (the publisher's org,
   * null for none), or null when there is none. Every org member's name is published as {@code NAME-ORGSLUG}, so a
   * name ending in {@code -SLUG} of an existing org reads as a member of that org: {@code demo-acme} for a user
   * outside {@code acme}, or {@code demo-acme-x} (NAME {@code demo-acme} of org {@code x}) when an org
   * {@code acme-x} exists. Any such suffix counts, the longest first.
   */
  public static String foreignOrgSuffix(String published, Set<String> orgSlugs, String ownOrg) {
    for (int i = published.indexOf('-'); i >= 0; i = published.indexOf('-', i + 1)) {
      String suffix = published.substring(i + 1);
      if (!suffix.equals(ownOrg) && orgSlugs.contains(suffix)) {
        return suffix;
      }
    }
    return null;
  }

  /** A fresh random name of {@link #RANDOM_NAME_LENGTH} characters of [a-z0-9]. */
  public static String random() {
    char[] out = new char[RANDOM_NAME_LENGTH];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
