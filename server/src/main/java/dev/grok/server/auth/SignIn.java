package dev.grok.server.auth;

/**
 * Checks email, password and second factor. Every failure looks the same to the caller's caller (unknown email,
 * wrong password, no password set, disabled user or org): the admin API answers one 401 message for all, and the
 * password check runs (against a decoy hash) even when the email is unknown, so timing does not tell either.
 * Throttling is the caller's job. Runs Argon2id: never call it on an event loop. Thread-safe.
 */
public final class SignIn {
  /** The outcome of one attempt. */
  public sealed interface Result {}

  /** Email, password and, when 2FA is on, the code were right. */
  public record Success(Account account) implements Result {}

  /** Email and password were right; 2FA is on and no code came with them. */
  public record CodeRequired() implements Result {}

  /**
   * Anything else. {@code reason} is for the server's log and the audit log only, never for the caller.
   *
   * @param userId the account when the email was known, else null
   */
  public record Failure(String userId, String reason) implements Result {}

  private final AccountRepository repository;
  private final PasswordHasher hasher;
  private final TwoFactor twoFactor;

  SignIn(AccountRepository repository, PasswordHasher hasher, TwoFactor twoFactor) {
    this.repository = repository;
    this.hasher = hasher;
    this.twoFactor = twoFactor;
  }

  /** {@code code}: a TOTP code or a recovery code, null when none was typed. */
  public Result attempt(String email, String password, String code) {
    var row = email == null || email.isBlank() ? java.util.Optional.<AccountRepository.UserRow>empty()
        : repository.userByEmail(email.strip());
    boolean passwordOk = hasher.verify(password, row.map(AccountRepository.UserRow::passwordHash).orElse(null));
    if (row.isEmpty()) {
      return new Failure(null, "unknown email");
    }
    Account a = row.get().account();
    if (!passwordOk) {
      return new Failure(a.id(), a.hasPassword() ? "wrong password" : "no password set");
    }
    if (a.disabled()) {
      return new Failure(a.id(), "user or org disabled");
    }
    if (!a.totpEnabled()) {
      return new Success(a);
    }
    if (code == null || code.isBlank()) {
      return new CodeRequired();
    }
    return twoFactor.useCode(row.get(), code.strip()) ? new Success(a) : new Failure(a.id(), "wrong 2FA code");
  }

  /** Whether {@code password} is this user's (for changes that ask for it again, such as turning 2FA off). */
  public boolean checkPassword(String userId, String password) {
    var row = repository.userById(userId);
    return hasher.verify(password, row.map(AccountRepository.UserRow::passwordHash).orElse(null)) && row.isPresent();
  }

  static boolean isTotpShaped(String code) {
    return code.length() == Totp.DIGITS && code.chars().allMatch(Character::isDigit);
  }
}
