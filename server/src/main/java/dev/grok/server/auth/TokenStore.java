package dev.grok.server.auth;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and their API tokens. Only the SHA-256 of a raw token is stored; the raw token exists once, in the
 * {@link CreatedToken} returned by {@link #create}, and in {@code DATA_DIR/admin.token} for the bootstrap admin.
 * Token names are unique per user (two users may both have a token named {@code laptop}), ids everywhere.
 *
 * <p>Several stores may share one database, each in its own process (the server and the {@code token} CLI, or
 * several servers): every write goes straight to the database, so each sees the others' writes. {@link
 * #authenticate} caches positive lookups in memory, each for at most {@link #CACHE_TTL_MILLIS} after the database
 * last said it was valid: a revocation made through this store drops its entries at once, one made by another
 * process is seen at the latest when the entry expires, or sooner at the next {@link #revokedAmong} call, which
 * re-checks every cached token as well as the ids asked for (and renews the ones still valid). The server calls it
 * every few seconds with its live sessions' token ids (an empty collection is fine), so its hot tokens rarely
 * expire on an event loop.
 *
 * <p>Thread-safe. Database failures surface as {@link TokenStoreException}.
 */
public final class TokenStore implements AutoCloseable {
  /** The user that owns the bootstrap token, and the CLI's default user. */
  public static final String ADMIN_USER = "admin";

  /** Prefix of token ids, which token names may therefore not start with. */
  public static final String TOKEN_ID_PREFIX = "tok_";

  /**
   * How long a token the database said was valid authenticates from the cache without asking again: the bound on
   * how stale this store's view of another process's revocation can be at a new connection. Short against a
   * human's revoke-then-check, long against the server's poll ({@code SessionManager}, every 2 s), which renews
   * valid entries so that a busy token's lookups stay off the database.
   */
  public static final long CACHE_TTL_MILLIS = 5_000;

  /** Longer strings are rejected without hashing: real tokens have 37 characters. */
  static final int MAX_RAW_TOKEN_CHARS = 256;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String NAME_RULE = "1-64 characters of [A-Za-z0-9._-], starting with a letter or digit";
  /** User names may be emails (accounts made by {@code user create} are named by their email). */
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,253}");
  private static final String USER_RULE = "1-254 characters of [A-Za-z0-9._@+-], starting with a letter or digit";
  private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

  private final HikariDataSource dataSource;
  private final TokenRepository repository;

  /** A token the database said was valid at {@code validatedAtNanos} (of {@link #nanoClock}). */
  private record Cached(TokenInfo info, long validatedAtNanos) {}

  /** Token hash to the token, for tokens that were valid when looked up (possibly expired since). Any thread. */
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  /** {@link System#nanoTime} in production; tests pass a fake clock to expire cache entries. */
  private final LongSupplier nanoClock;

  /**
   * Bumped after a revocation reached the database and before its cache entries are dropped, so that an
   * {@link #authenticate} that read the token before the revocation and caches it after the drop sees the change
   * and takes its entry back out.
   */
  private final AtomicLong revocations = new AtomicLong();

  private TokenStore(HikariDataSource dataSource, LongSupplier nanoClock) {
    this.dataSource = dataSource;
    this.repository = new TokenRepository(dataSource);
    this.nanoClock = nanoClock;
  }

  /**
   * Opens (and migrates) the database.
   *
   * @param dataDir directory of the embedded SQLite database, created when missing; ignored when dbUrl is set
   * @param dbUrl JDBC URL of an external database such as {@code jdbc:postgresql://HOST/DB}, or null
   * @param dbUser user for dbUrl, may be null
   * @param dbPassword password for dbUrl, may be null
   */
  public static TokenStore open(Path dataDir, String dbUrl, String dbUser, String dbPassword) {
    return open(dataDir, dbUrl, dbUser, dbPassword, System::nanoTime);
  }

  /** As {@link #open(Path, String, String, String)}, with the clock that ages cache entries (tests: a fake one). */
  static TokenStore open(Path dataDir, String dbUrl, String dbUser, String dbPassword, LongSupplier nanoClock) {
    return new TokenStore(DataSources.open(dataDir, dbUrl, dbUser, dbPassword), nanoClock);
  }

  /**
   * Creates a token for {@code user}, creating the user when missing.
   *
   * @throws IllegalArgumentException when a name is not valid or this user has a token with this name already
   *     (another user's token of the same name is no obstacle, and is never revealed)
   */
  public CreatedToken create(String name, String user) {
    checkName("name", name);
    if (name.regionMatches(true, 0, TOKEN_ID_PREFIX, 0, TOKEN_ID_PREFIX.length())) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: not starting with '" + TOKEN_ID_PREFIX
          + "', which marks token ids)");
    }
    if (user == null || !USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user: '" + user + "' (expected: " + USER_RULE + ")");
    }
    String rawToken = TokenSecrets.newRawToken();
    String id = TokenSecrets.newId(TOKEN_ID_PREFIX);
    boolean inserted;
    try {
      inserted = repository.insert(id, name, user, TokenSecrets.hash(rawToken), System.currentTimeMillis());
    } catch (TokenStoreException e) {
      // PostgreSQL reads committed rows only: a concurrent create of the same name (or user) passes the checks
      // and fails on the unique constraint. Report a taken name as such; retry once for a user created meanwhile.
      if (repository.nameTaken(name, user)) {
        throw duplicateName(name, user);
      }
      inserted = repository.insert(id, name, user, TokenSecrets.hash(rawToken), System.currentTimeMillis());
    }
    if (!inserted) {
      throw duplicateName(name, user);
    }
    return new CreatedToken(id, name, user, rawToken);
  }

  /**
   * The token's owner and details, or empty when the token is unknown or revoked, or its user or the user's org is
   * disabled.
   */
  public Optional<TokenInfo> authenticate(String rawToken) {
    if (rawToken == null || rawToken.isEmpty() || rawToken.length() > MAX_RAW_TOKEN_CHARS) {
      return Optional.empty();
    }
    String hash = TokenSecrets.hash(rawToken);
    long nowNanos = nanoClock.getAsLong();
    Cached cached = cache.get(hash);
    if (cached != null && nowNanos - cached.validatedAtNanos() < TimeUnit.MILLISECONDS.toNanos(CACHE_TTL_MILLIS)) {
      return Optional.of(cached.info());
    }
    long revocationsBefore = revocations.get();
    // nowNanos was read before the query: an entry never claims a validation later than the database's answer.
    Optional<TokenInfo> found = repository.findByHash(hash).filter(info -> !info.revoked());
    if (found.isPresent()) {
      cache.put(hash, new Cached(found.get(), nowNanos));
      if (revocations.get() != revocationsBefore) {
        cache.remove(hash); // a revocation raced with this lookup: let the next call ask the database
      }
    } else if (cached != null) {
      cache.remove(hash, cached); // expired and no longer valid (revoked, or its user disabled, elsewhere)
    }
    return found;
  }

  /** Every token, revoked ones included, oldest first. */
  public List<TokenInfo> list() {
    return repository.listAll();
  }

  /**
   * Revokes a token by its id or, failing that, by its name. Revoking a revoked token changes nothing.
   *
   * @return false when no token has this id or name
   * @throws IllegalArgumentException when {@code idOrName} is no id and names tokens of several users
   */
  public boolean revoke(String idOrName) {
    if (idOrName == null || idOrName.isBlank()) {
      throw new IllegalArgumentException("idOrName: '" + idOrName + "' (expected: a token id or name)");
    }
    Optional<String> id = repository.revoke(idOrName, System.currentTimeMillis());
    id.ifPresent(revokedId -> forget(Set.of(revokedId)));
    return id.isPresent();
  }

  /**
   * The ids among these whose tokens are revoked now (or no longer exist, or their user or org is disabled), as
   * seen in the database, so including revocations and disablings made by other processes. Also drops every cached
   * token that is no longer valid.
   */
  public Set<String> revokedAmong(Collection<String> tokenIds) {
    Set<String> checked = new HashSet<>(tokenIds);
    cache.values().forEach(entry -> checked.add(entry.info().id()));
    long readAtNanos = nanoClock.getAsLong(); // before the query, as in authenticate
    Set<String> valid = repository.validAmong(checked);
    Set<String> gone = new HashSet<>(checked);
    gone.removeAll(valid);
    if (!gone.isEmpty()) {
      forget(gone);
    }
    // Entries still valid are renewed; one cached by a later authenticate keeps its own (later) time.
    cache.replaceAll((hash, entry) -> valid.contains(entry.info().id()) && entry.validatedAtNanos() - readAtNanos < 0
        ? new Cached(entry.info(), readAtNanos) : entry);
    Set<String> revoked = new HashSet<>(tokenIds);
    revoked.retainAll(gone);
    return Set.copyOf(revoked);
  }

  /**
   * Zero-configuration bootstrap: makes sure {@code dataDir/admin.token} holds a valid token. When it does, nothing
   * happens; otherwise a token named {@code admin} (or {@code admin-2}, ... when taken) is created for user
   * {@code admin} and written there, readable by its owner only.
   *
   * @return the new raw token for the caller to print, or empty when the file was valid already
   */
  public Optional<String> ensureAdminToken(Path dataDir) {
    Optional<String> existing = AdminTokenFile.read(dataDir);
    if (existing.isPresent() && authenticate(existing.get()).isPresent()) {
      AdminTokenFile.restrictPermissions(dataDir);
      return Optional.empty();
    }
    CreatedToken created = createAdminToken();
    try {
      AdminTokenFile.write(dataDir, created.token());
    } catch (RuntimeException e) {
      revoke(created.id()); // nobody can ever know this token: do not leave it valid
      throw e;
    }
    log.info("created token {} ({}) for user {}, saved in {}", created.id(), created.name(), ADMIN_USER,
        AdminTokenFile.path(dataDir));
    return Optional.of(created.token());
  }

  /** The pool, for {@link Accounts} and the request log on the same database. */
  public javax.sql.DataSource dataSource() {
    return dataSource;
  }

  /** The per-token overrides of the edge's rate limit, in the same database. */
  public TokenRateLimits rateLimits() {
    return new TokenRateLimits(dataSource);
  }

  /** Closes the connection pool. Idempotent. */
  @Override
  public void close() {
    dataSource.close();
  }

  private CreatedToken createAdminToken() {
    IllegalArgumentException lastRace = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Set<String> taken = repository.namesLike(ADMIN_USER, ADMIN_USER);
      String name = ADMIN_USER;
      for (int n = 2; taken.contains(name); n++) {
        name = ADMIN_USER + "-" + n;
      }
      try {
        return create(name, ADMIN_USER);
      } catch (IllegalArgumentException e) {
        lastRace = e; // another process took this name between our read and our insert
      }
    }
    throw lastRace;
  }

  private void forget(Set<String> tokenIds) {
    revocations.incrementAndGet();
    cache.values().removeIf(entry -> tokenIds.contains(entry.info().id()));
  }

  private static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + ": '" + name + "' (expected: " + NAME_RULE + ")");
    }
  }

  private static IllegalArgumentException duplicateName(String name, String user) {
    return new IllegalArgumentException("token name '" + name + "' already exists for user '" + user
        + "' (expected: a new name; see 'token list')");
  }
}
