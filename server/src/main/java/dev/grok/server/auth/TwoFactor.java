package dev.grok.server.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * TOTP second factor of an account: {@link #setup} stores a new secret (not yet in force), {@link #enable} turns it
 * on once the user proves their app has it and hands out recovery codes, shown once and stored as SHA-256 hashes;
 * {@link #useCode} accepts a TOTP code (once, see {@link Totp}) or an unused recovery code. Thread-safe.
 */
public final class TwoFactor {
  /** Issuer shown by authenticator apps. */
  public static final String ISSUER = "grok";
  public static final int RECOVERY_CODES = 10;
  /** Characters per recovery code (shown as two groups of 5): 50 bits each. */
  static final int RECOVERY_CODE_CHARS = 10;
  private static final String RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l

  /** What the dashboard shows while 2FA is being set up. */
  public record Setup(String secret, String otpauthUrl) {}

  private final AccountRepository repository;
  private final Totp totp;
  private final LongSupplier clockMillis;
  private final SecureRandom random = new SecureRandom();

  TwoFactor(AccountRepository repository, Totp totp, LongSupplier clockMillis) {
    this.repository = repository;
    this.totp = totp;
    this.clockMillis = clockMillis;
  }

  /** A new pending secret for the user; refused while 2FA is on (turn it off first). */
  public Setup setup(String userId) {
    Account a = repository.userById(userId).orElseThrow(() -> AccountStore.notFound("no user " + userId)).account();
    String secret = totp.newSecret();
    if (!repository.setPendingTotpSecret(userId, secret)) {
      throw new AccountException(AccountException.Kind.CONFLICT,
          "2FA is on already (expected: turn it off with POST /api/2fa/disable first)");
    }
    return new Setup(secret, Totp.otpauthUrl(ISSUER, a.email(), secret));
  }

  /**
   * Turns 2FA on when {@code code} matches the pending secret.
   *
   * @return the recovery codes, to show once
   */
  public List<String> enable(String userId, String code) {
    var row = repository.userById(userId).orElseThrow(() -> AccountStore.notFound("no user " + userId));
    if (row.account().totpEnabled()) {
      throw new AccountException(AccountException.Kind.CONFLICT, "2FA is on already");
    }
    if (row.totpSecret() == null) {
      throw AccountStore.invalid("no 2FA set-up in progress (expected: POST /api/2fa/setup first)");
    }
    OptionalLong step = totp.verify(row.totpSecret(), code == null ? null : code.strip(), row.totpLastStep());
    if (step.isEmpty()) {
      throw AccountStore.invalid("code: wrong or expired (expected: the 6 digits your app shows now)");
    }
    if (!repository.enableTotp(userId, step.getAsLong(), clockMillis.getAsLong())) {
      throw new AccountException(AccountException.Kind.CONFLICT, "2FA set-up changed meanwhile; start again");
    }
    List<String> codes = new ArrayList<>(RECOVERY_CODES);
    List<String> hashes = new ArrayList<>(RECOVERY_CODES);
    for (int i = 0; i < RECOVERY_CODES; i++) {
      String c = newRecoveryCode();
      codes.add(c);
      hashes.add(TokenSecrets.hash(normalizeRecoveryCode(c)));
    }
    repository.replaceRecoveryCodes(userId, hashes);
    return codes;
  }

  /** Turns 2FA off and forgets its secret and recovery codes (the caller checked the password). */
  public void disable(String userId) {
    repository.disableTotp(userId);
  }

  /** Recovery codes not used yet. */
  public int unusedRecoveryCodes(String userId) {
    return repository.unusedRecoveryCodes(userId);
  }

  /** Accepts a TOTP code of the user's secret, once, or an unused recovery code, once. */
  boolean useCode(AccountRepository.UserRow row, String code) {
    String id = row.account().id();
    if (SignIn.isTotpShaped(code)) {
      OptionalLong step = totp.verify(row.totpSecret(), code, row.totpLastStep());
      return step.isPresent() && repository.useTotpStep(id, step.getAsLong());
    }
    return repository.useRecoveryCode(id, TokenSecrets.hash(normalizeRecoveryCode(code)), clockMillis.getAsLong());
  }

  private String newRecoveryCode() {
    StringBuilder b = new StringBuilder(RECOVERY_CODE_CHARS + 1);
    for (int i = 0; i < RECOVERY_CODE_CHARS; i++) {
      if (i == RECOVERY_CODE_CHARS / 2) {
        b.append('-');
      }
      b.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
    }
    return b.toString();
  }

  /** Lower case without dashes or spaces, so {@code ABCDE-FGHJK} and {@code abcdefghjk} are the same code. */
  static String normalizeRecoveryCode(String code) {
    return code.toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
  }
}
