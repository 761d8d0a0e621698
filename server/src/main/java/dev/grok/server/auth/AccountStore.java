package dev.grok.server.auth;

import dev.grok.server.registry.SubdomainRules;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Users and organizations in the server's database, next to the tokens: created and changed by the {@code user}
 * and {@code org} CLI and the admin API, read by sign-in. Every write goes straight to the database, so a server and
 * a CLI on the same database see each other's changes; nothing is cached.
 *
 * <p>Password hashing (Argon2id, tens of milliseconds) runs on the caller's thread: the admin executor or the CLI,
 * never an event loop. Thread-safe. Bad input: {@link AccountException}; database failures:
 * {@link TokenStoreException}.
 */
public final class AccountStore {
  /** Prefixes of printable ids. */
  static final String USER_ID_PREFIX = "usr_";
  static final String ORG_ID_PREFIX = "org_";

  /** Loose on purpose: one {@code @}, no spaces, a dot in the domain; the mail server is the real judge. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
  static final int MAX_EMAIL_CHARS = 254;
  static final int MAX_DISPLAY_NAME_CHARS = 128;

  private final AccountRepository repository;
  private final SessionStore sessions;
  private final PasswordHasher hasher;
  private final LongSupplier clockMillis;
  /**
   * The live tunnel names that a new org's slug would claim ({@code NAME-SLUG}); the server's registry once
   * {@link #refuseSlugsClaimingLiveNames} wired it, else none (the CLI: another process, no tunnels to see).
   */
  private volatile Function<String, List<String>> liveNamesUnder = slug -> List.of();

  AccountStore(Sql sql, SessionStore sessions, PasswordHasher hasher, LongSupplier clockMillis) {
    this.repository = new AccountRepository(sql);
    this.sessions = sessions;
    this.hasher = hasher;
    this.clockMillis = clockMillis;
  }

  AccountRepository repository() {
    return repository;
  }

  PasswordHasher hasher() {
    return hasher;
  }

  // ---- orgs ----

  /**
   * From now on, {@link #createOrg} refuses a slug for which {@code liveNamesUnder} lists live tunnel names: they
   * end in {@code -SLUG} and belong to users outside the new org, so they would pass for its members' tunnels.
   */
  public void refuseSlugsClaimingLiveNames(Function<String, List<String>> liveNamesUnder) {
    this.liveNamesUnder = liveNamesUnder;
  }

  /** Creates an org; the slug follows the subdomain rules and is unique. */
  public Org createOrg(String slug, String name) {
    String normalized;
    try {
      normalized = SubdomainRules.normalize(slug == null ? "" : slug);
    } catch (IllegalArgumentException e) {
      throw invalid("slug: '" + slug + "' (expected: a subdomain: 3-63 characters of a-z, 0-9 and '-', not "
          + "starting or ending with '-', not reserved)");
    }
    String displayName = name == null || name.isBlank() ? normalized : checkDisplayName(name);
    if (repository.orgBySlug(normalized).isPresent()) {
      throw new AccountException(AccountException.Kind.CONFLICT, "org '" + normalized
          + "' already exists (expected: a new slug; see 'org list')");
    }
    List<String> live = liveNamesUnder.apply(normalized);
    if (!live.isEmpty()) {
      throw new AccountException(AccountException.Kind.CONFLICT, "org slug '" + normalized + "' would make the live"
          + " tunnels " + String.join(", ", live) + " of users outside it pass for its members' (expected: another"
          + " slug, or stop those tunnels first)");
    }
    String id = TokenSecrets.newId(ORG_ID_PREFIX);
    try {
      repository.insertOrg(id, normalized, displayName, clockMillis.getAsLong());
    } catch (TokenStoreException e) {
      if (repository.orgBySlug(normalized).isPresent()) { // a concurrent create won the unique constraint
        throw new AccountException(AccountException.Kind.CONFLICT, "org '" + normalized + "' already exists");
      }
      throw e;
    }
    return repository.orgById(id).orElseThrow();
  }

  public List<Org> orgs() {
    return repository.orgs();
  }

  public Optional<Org> org(String slug) {
    return repository.orgBySlug(slug.toLowerCase(Locale.ROOT));
  }

  /**
   * Disables an org: its members can no longer sign in, their sessions end now, and their tokens stop
   * authenticating.
   */
  public Org disableOrg(String slug) {
    Org org = org(slug).orElseThrow(() -> notFound("no org '" + slug + "' (see 'org list')"));
    repository.disableOrg(org.slug(), clockMillis.getAsLong());
    for (Account member : repository.users(org.id())) {
      sessions.endAllOf(member.id());
    }
    return repository.orgById(org.id()).orElseThrow();
  }

  // ---- users ----

  /**
   * Creates an account that signs in with {@code email}.
   *
   * @param displayName free text, may be null
   * @param orgSlug the org, null for none (required for org admins)
   * @param password null for an account that cannot sign in until {@link #setPassword}
   */
  public Account createUser(String email, String displayName, Role role, String orgSlug, String password) {
    String normalized = checkEmail(email);
    if (displayName != null) {
      checkDisplayName(displayName);
    }
    String orgId = null;
    if (orgSlug != null) {
      Org org = org(orgSlug).orElseThrow(() -> notFound("no org '" + orgSlug + "' (see 'org list')"));
      if (org.disabled()) {
        throw invalid("org '" + org.slug() + "' is disabled (expected: an enabled org)");
      }
      orgId = org.id();
    } else if (role == Role.ORG_ADMIN) {
      throw invalid("role org_admin needs --org SLUG (expected: the org this user administers)");
    }
    if (repository.userByEmail(normalized).isPresent()) {
      throw new AccountException(AccountException.Kind.CONFLICT, "user '" + normalized
          + "' already exists (expected: a new email; 'user passwd' sets a password)");
    }
    String hash = password == null ? null : hasher.hash(password);
    String id = TokenSecrets.newId(USER_ID_PREFIX);
    try {
      repository.insertUser(id, normalized, displayName, role, orgId, hash, clockMillis.getAsLong());
    } catch (TokenStoreException e) {
      if (repository.userByEmail(normalized).isPresent()) {
        throw new AccountException(AccountException.Kind.CONFLICT, "user '" + normalized + "' already exists");
      }
      throw e;
    }
    return repository.userById(id).orElseThrow().account();
  }

  /** Every user, or only the members of {@code orgId} when it is not null; by email. */
  public List<Account> users(String orgId) {
    return repository.users(orgId);
  }

  /** The user signing in with {@code email} (or, for users made by {@code token create}, named so). */
  public Optional<Account> user(String email) {
    return repository.userByEmail(email).map(AccountRepository.UserRow::account);
  }

  public Optional<Account> userById(String id) {
    return repository.userById(id).map(AccountRepository.UserRow::account);
  }

  /** The user a token belongs to ({@link TokenInfo#user()}). */
  public Optional<Account> userByName(String name) {
    return repository.userByName(name).map(AccountRepository.UserRow::account);
  }

  /**
   * Disables a user: no more sign-ins, their sessions end now, and their tokens stop authenticating (the server
   * ends their live tunnels: see {@link TokenStore#revokedAmong}).
   */
  public Account disableUser(String email) {
    Account a = user(email).orElseThrow(() -> notFound("no user '" + email + "' (see 'user list')"));
    repository.disableUser(a.id(), clockMillis.getAsLong());
    sessions.endAllOf(a.id());
    return userById(a.id()).orElseThrow();
  }

  /**
   * Enables a disabled user again: they may sign in, and their tokens that were not revoked work again. A member of
   * a disabled org stays {@link Account#disabled()} until the org is enabled.
   */
  public Account enableUser(String email) {
    Account a = user(email).orElseThrow(() -> notFound("no user '" + email + "' (see 'user list')"));
    repository.enableUser(a.id());
    return userById(a.id()).orElseThrow();
  }

  /** Sets (or replaces) a user's password; their sessions end, so a stolen one stops working. */
  public Account setPassword(String email, String password) {
    Account a = user(email).orElseThrow(() -> notFound("no user '" + email + "' (see 'user list')"));
    repository.setPasswordHash(a.id(), hasher.hash(password));
    sessions.endAllOf(a.id());
    return userById(a.id()).orElseThrow();
  }

  static String checkEmail(String email) {
    if (email == null || email.length() > MAX_EMAIL_CHARS || !EMAIL.matcher(email).matches()) {
      throw invalid("email: '" + email + "' (expected: an address such as alice@example.com)");
    }
    return email.toLowerCase(Locale.ROOT);
  }

  private static String checkDisplayName(String name) {
    if (name.length() > MAX_DISPLAY_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
      throw invalid("name: '" + name + "' (expected: up to " + MAX_DISPLAY_NAME_CHARS
          + " characters, no control characters)");
    }
    return name.strip();
  }

  static AccountException invalid(String message) {
    return new AccountException(AccountException.Kind.INVALID, message);
  }

  static AccountException notFound(String message) {
    return new AccountException(AccountException.Kind.NOT_FOUND, message);
  }
}
