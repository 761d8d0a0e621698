package dev.grok.server.auth;

import java.util.function.LongSupplier;

/**
 * The account side of the database, on the pool of a {@link TokenStore}: users and orgs, sessions, sign-in, 2FA and
 * the audit log. Closing the token store closes it too. Thread-safe.
 *
 * @param users users and orgs
 * @param sessions dashboard sessions
 * @param signIn email, password and code checks
 * @param twoFactor TOTP set-up and recovery codes
 * @param audit who did what
 */
public record Accounts(AccountStore users, SessionStore sessions, SignIn signIn, TwoFactor twoFactor,
    AuditLog audit) {

  /** With the production password hasher and the system clock. */
  public static Accounts of(TokenStore tokens) {
    return of(tokens, new PasswordHasher(), System::currentTimeMillis);
  }

  /** {@code clockMillis} drives TOTP steps, session expiry and record times; tests pass a fake one. */
  public static Accounts of(TokenStore tokens, PasswordHasher hasher, LongSupplier clockMillis) {
    Sql sql = new Sql(tokens.dataSource());
    SessionStore sessions = new SessionStore(sql, clockMillis);
    AccountStore users = new AccountStore(sql, sessions, hasher, clockMillis);
    TwoFactor twoFactor = new TwoFactor(users.repository(), new Totp(clockMillis), clockMillis);
    return new Accounts(users, sessions, new SignIn(users.repository(), hasher, twoFactor), twoFactor,
        new AuditLog(sql, clockMillis));
  }
}
