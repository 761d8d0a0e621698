package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Password and TOTP sign-in, sessions, on a fake clock. */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class SignInTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private final AtomicLong nowMillis = new AtomicLong(1_700_000_000_000L);
  private final Totp app = new Totp(nowMillis::get); // the user's authenticator app, same clock
  private TokenStore tokens;
  private Accounts accounts;
  private Account alice;

  @BeforeEach
  void open() {
    TestDatabase db = backend.fresh(dataDir);
    tokens = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
    accounts = Accounts.of(tokens, new PasswordHasher(64, 1), nowMillis::get);
    alice = accounts.users().createUser("alice@example.com", null, Role.ORG_USER, null, "correct horse");
  }

  @AfterEach
  void close() {
    tokens.close();
  }

  @Test
  void unknownEmailAndWrongPasswordFailAlike() {
    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", null))
        .isEqualTo(new SignIn.Success(alice));
    assertThat(accounts.signIn().attempt("ALICE@example.com", "correct horse", null))
        .isInstanceOf(SignIn.Success.class);
    assertThat(accounts.signIn().attempt("alice@example.com", "wrong horse", null))
        .isEqualTo(new SignIn.Failure(alice.id(), "wrong password"));
    assertThat(accounts.signIn().attempt("bob@example.com", "correct horse", null))
        .isEqualTo(new SignIn.Failure(null, "unknown email"));
    assertThat(accounts.signIn().attempt(null, null, null)).isInstanceOf(SignIn.Failure.class);
  }

  @Test
  void enablingTwoFactorAsksForACodeAndAcceptsEachCodeOnce() {
    TwoFactor.Setup setup = accounts.twoFactor().setup(alice.id());
    assertThat(setup.otpauthUrl()).startsWith("otpauth://totp/grok:alice%40example.com?secret=" + setup.secret());
    List<String> recovery = accounts.twoFactor().enable(alice.id(), app.codeNow(setup.secret()));
    assertThat(recovery).hasSize(TwoFactor.RECOVERY_CODES).doesNotHaveDuplicates()
        .allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));

    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", null))
        .isInstanceOf(SignIn.CodeRequired.class);
    assertThat(accounts.signIn().attempt("alice@example.com", "wrong horse", null))
        .isInstanceOf(SignIn.Failure.class); // no hint that the password was right
    nowMillis.addAndGet(30_000); // the set-up code's step is used; the next step's code is fresh
    String code = app.codeNow(setup.secret());
    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", code))
        .isInstanceOf(SignIn.Success.class);
    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", code))
        .isEqualTo(new SignIn.Failure(alice.id(), "wrong 2FA code"));
    assertThat(accounts.users().userById(alice.id()).orElseThrow().totpEnabled()).isTrue();
  }

  @Test
  void recoveryCodeStandsInForACodeOnce() {
    TwoFactor.Setup setup = accounts.twoFactor().setup(alice.id());
    List<String> recovery = accounts.twoFactor().enable(alice.id(), app.codeNow(setup.secret()));

    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", recovery.get(3).toUpperCase()))
        .isInstanceOf(SignIn.Success.class);
    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", recovery.get(3)))
        .isInstanceOf(SignIn.Failure.class);
    assertThat(accounts.twoFactor().unusedRecoveryCodes(alice.id())).isEqualTo(TwoFactor.RECOVERY_CODES - 1);
  }

  @Test
  void wrongSetupCodeLeavesTwoFactorOffAndSecondSetupWhileOnIsRefused() {
    TwoFactor.Setup setup = accounts.twoFactor().setup(alice.id());
    assertThatThrownBy(() -> accounts.twoFactor().enable(alice.id(), "000000"))
        .hasMessageStartingWith("code: wrong or expired");
    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", null))
        .isInstanceOf(SignIn.Success.class);
    accounts.twoFactor().enable(alice.id(), app.codeNow(setup.secret()));
    assertThatThrownBy(() -> accounts.twoFactor().setup(alice.id())).hasMessageStartingWith("2FA is on already");

    accounts.twoFactor().disable(alice.id());
    assertThat(accounts.signIn().attempt("alice@example.com", "correct horse", null))
        .isInstanceOf(SignIn.Success.class);
    assertThat(accounts.twoFactor().unusedRecoveryCodes(alice.id())).isZero();
  }

  @Test
  void sessionLivesInTheDatabaseUntilItExpiresOrEnds() {
    SessionStore sessions = accounts.sessions();
    SessionStore.Session s = sessions.open(alice.id());
    assertThat(s.id()).isNotEqualTo(s.csrf()).hasSize(32);

    // Another store on the same database (another server, a restart) knows the session.
    Accounts other = Accounts.of(tokens, new PasswordHasher(64, 1), nowMillis::get);
    assertThat(other.sessions().find(s.id())).map(SessionStore.Session::userId).contains(alice.id());
    assertThat(other.sessions().find(s.id())).map(SessionStore.Session::csrf).contains(s.csrf());
    assertThat(sessions.find("not-a-session")).isEmpty();

    nowMillis.addAndGet(SessionStore.TTL.toMillis());
    assertThat(sessions.find(s.id())).isEmpty();

    SessionStore.Session t = sessions.open(alice.id());
    sessions.end(t.id());
    assertThat(sessions.find(t.id())).isEmpty();
  }

  @Test
  void checkPasswordConfirmsTheOwnerOnly() {
    assertThat(accounts.signIn().checkPassword(alice.id(), "correct horse")).isTrue();
    assertThat(accounts.signIn().checkPassword(alice.id(), "wrong horse")).isFalse();
    assertThat(accounts.signIn().checkPassword("usr_nobody", "correct horse")).isFalse();
  }
}
