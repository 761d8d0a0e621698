package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class AccountStoreTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private TokenStore tokens;
  private Accounts accounts;
  private AccountStore users;

  @BeforeEach
  void open() {
    TestDatabase db = backend.fresh(dataDir);
    tokens = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password());
    accounts = Accounts.of(tokens, new PasswordHasher(64, 1), System::currentTimeMillis);
    users = accounts.users();
  }

  @AfterEach
  void close() {
    tokens.close();
  }

  @Test
  void orgSlugFollowsTheSubdomainRulesAndIsUnique() {
    Org acme = users.createOrg("Acme", "Acme Corp");
    assertThat(acme.slug()).isEqualTo("acme");
    assertThat(acme.name()).isEqualTo("Acme Corp");
    assertThat(acme.id()).matches("org_[a-z0-9]{10}");
    assertThatThrownBy(() -> users.createOrg("acme", null)).isInstanceOf(AccountException.class)
        .hasMessageContaining("already exists").extracting(e -> ((AccountException) e).kind())
        .isEqualTo(AccountException.Kind.CONFLICT);
    for (String bad : new String[] {"ab", "-acme", "acme-", "a_b", "www", "x".repeat(64)}) {
      assertThatThrownBy(() -> users.createOrg(bad, null)).hasMessageStartingWith("slug: '" + bad + "'");
    }
    assertThat(users.orgs()).extracting(Org::slug).containsExactly("acme");
  }

  @Test
  void orgSlugThatWouldClaimLiveTunnelsOfOutsidersIsRefused() {
    users.refuseSlugsClaimingLiveNames(
        slug -> slug.equals("initech") ? java.util.List.of("demo-initech") : java.util.List.of());

    assertThatThrownBy(() -> users.createOrg("Initech", null)).isInstanceOf(AccountException.class)
        .hasMessageContaining("'initech'").hasMessageContaining("demo-initech")
        .hasMessageContaining("expected: another slug, or stop those tunnels first")
        .extracting(e -> ((AccountException) e).kind()).isEqualTo(AccountException.Kind.CONFLICT);
    assertThat(users.createOrg("globex", null).slug()).isEqualTo("globex");
    assertThat(users.orgs()).extracting(Org::slug).containsExactly("globex");
  }

  @Test
  void userIsCreatedWithLowerCaseEmailRoleAndOrg() {
    users.createOrg("acme", null);
    Account a = users.createUser("Alice@Example.COM", "Alice A.", Role.ORG_ADMIN, "acme", "correct horse");
    assertThat(a.email()).isEqualTo("alice@example.com");
    assertThat(a.name()).isEqualTo("alice@example.com");
    assertThat(a.displayName()).isEqualTo("Alice A.");
    assertThat(a.role()).isEqualTo(Role.ORG_ADMIN);
    assertThat(a.orgSlug()).isEqualTo("acme");
    assertThat(a.hasPassword()).isTrue();
    assertThat(a.totpEnabled()).isFalse();
    assertThat(users.user("ALICE@example.com")).map(Account::id).contains(a.id());
    assertThat(users.users(a.orgId())).extracting(Account::email).containsExactly("alice@example.com");
  }

  @Test
  void badUserInputIsRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> users.createUser("not-an-email", null, Role.ORG_USER, null, null))
        .hasMessage("email: 'not-an-email' (expected: an address such as alice@example.com)");
    assertThatThrownBy(() -> users.createUser("a@b.example", null, Role.ORG_USER, "nope", null))
        .hasMessage("no org 'nope' (see 'org list')");
    assertThatThrownBy(() -> users.createUser("a@b.example", null, Role.ORG_ADMIN, null, null))
        .hasMessageStartingWith("role org_admin needs --org SLUG");
    assertThatThrownBy(() -> users.createUser("a@b.example", null, Role.ORG_USER, null, "short"))
        .hasMessageStartingWith("password: 5 characters");
    users.createUser("a@b.example", null, Role.ORG_USER, null, null);
    assertThatThrownBy(() -> users.createUser("A@b.example", null, Role.ORG_USER, null, null))
        .hasMessageStartingWith("user 'a@b.example' already exists");
    assertThat(users.users(null)).hasSize(1);
  }

  @Test
  void disabledUserCannotSignInAndLosesItsSessions() {
    Account a = users.createUser("a@b.example", null, Role.ORG_USER, null, "correct horse");
    SessionStore.Session s = accounts.sessions().open(a.id());
    assertThat(accounts.sessions().find(s.id())).isPresent();

    assertThat(users.disableUser("a@b.example").disabled()).isTrue();

    assertThat(accounts.sessions().find(s.id())).isEmpty();
    assertThat(accounts.signIn().attempt("a@b.example", "correct horse", null))
        .isEqualTo(new SignIn.Failure(a.id(), "user or org disabled"));
  }

  @Test
  void disabledOrgLocksOutItsMembersOnly() {
    users.createOrg("acme", null);
    users.createOrg("globex", null);
    users.createUser("a@acme.example", null, Role.ORG_USER, "acme", "correct horse");
    users.createUser("g@globex.example", null, Role.ORG_USER, "globex", "correct horse");

    assertThat(users.disableOrg("acme").disabled()).isTrue();

    assertThat(accounts.signIn().attempt("a@acme.example", "correct horse", null)).isInstanceOf(SignIn.Failure.class);
    assertThat(accounts.signIn().attempt("g@globex.example", "correct horse", null))
        .isInstanceOf(SignIn.Success.class);
    assertThatThrownBy(() -> users.createUser("b@acme.example", null, Role.ORG_USER, "acme", null))
        .hasMessageContaining("disabled");
  }

  @Test
  void newPasswordReplacesTheOldOneAndEndsSessions() {
    Account a = users.createUser("a@b.example", null, Role.ORG_USER, null, null);
    assertThat(a.hasPassword()).isFalse();
    assertThat(users.setPassword("a@b.example", "first password").hasPassword()).isTrue();
    SessionStore.Session s = accounts.sessions().open(a.id());

    users.setPassword("a@b.example", "second password");

    assertThat(accounts.sessions().find(s.id())).isEmpty();
    assertThat(accounts.signIn().attempt("a@b.example", "first password", null)).isInstanceOf(SignIn.Failure.class);
    assertThat(accounts.signIn().attempt("a@b.example", "second password", null)).isInstanceOf(SignIn.Success.class);
    assertThatThrownBy(() -> users.setPassword("nobody@b.example", "whatever123"))
        .hasMessage("no user 'nobody@b.example' (see 'user list')");
  }

  @Test
  void tokenCreateForAnAccountAttachesTheTokenToIt() {
    Account a = users.createUser("a@b.example", null, Role.ORG_USER, null, null);
    CreatedToken t = tokens.create("laptop", "a@b.example");
    assertThat(tokens.authenticate(t.token())).map(TokenInfo::user).contains(a.name());
    assertThat(users.users(null)).hasSize(1);
  }

  @Test
  void auditLogPagesNewestFirstAndFiltersByOrg() {
    AuditLog audit = accounts.audit();
    for (int i = 0; i < 5; i++) {
      audit.record("a@b.example", "sign_in", null, i % 2 == 0 ? "org_x" : null, "127.0.0.1", "n" + i);
    }
    var first = audit.page(null, null, 3);
    assertThat(first).extracting(AuditLog.Entry::detail).containsExactly("n4", "n3", "n2");
    assertThat(audit.page(null, first.get(2).id(), 3)).extracting(AuditLog.Entry::detail).containsExactly("n1", "n0");
    assertThat(audit.page("org_x", null, 10)).extracting(AuditLog.Entry::detail).containsExactly("n4", "n2", "n0");
  }

  @Test
  void auditPageCarriesTheCursorOfTheNextPageUntilTheOldestEntry() {
    AuditLog audit = accounts.audit();
    for (int i = 0; i < 5; i++) {
      audit.record("cli", "org.create", "o" + i, null, null, null);
    }
    AuditLog.Page first = audit.pageWithNext(null, null, 2);
    assertThat(first.entries()).extracting(AuditLog.Entry::target).containsExactly("o4", "o3");
    AuditLog.Page second = audit.pageWithNext(null, first.nextBefore(), 2);
    assertThat(second.entries()).extracting(AuditLog.Entry::target).containsExactly("o2", "o1");
    AuditLog.Page last = audit.pageWithNext(null, second.nextBefore(), 2);
    assertThat(last.entries()).extracting(AuditLog.Entry::target).containsExactly("o0");
    assertThat(last.nextBefore()).isNull();
    assertThat(audit.pageWithNext(null, null, 5).nextBefore()).as("exactly one full page").isNull();
  }

  @Test
  void aDisabledUsersOrOrgsTokensStopAuthenticatingAndWorkAgainOnceEnabled() {
    users.createOrg("acme", null);
    users.createUser("a@acme.example", null, Role.ORG_USER, "acme", null);
    CreatedToken t = tokens.create("laptop", "a@acme.example");
    assertThat(tokens.authenticate(t.token())).isPresent(); // now cached

    users.disableUser("a@acme.example");

    assertThat(tokens.revokedAmong(Set.of(t.id()))).containsExactly(t.id());
    assertThat(tokens.authenticate(t.token())).as("dropped from the cache, refused by the database").isEmpty();
    assertThat(users.enableUser("a@acme.example").disabled()).isFalse();
    assertThat(tokens.authenticate(t.token())).isPresent();
    assertThat(tokens.list()).singleElement().extracting(TokenInfo::revoked).isEqualTo(false);

    users.disableOrg("acme");

    assertThat(tokens.revokedAmong(Set.of(t.id()))).containsExactly(t.id());
    assertThat(tokens.authenticate(t.token())).isEmpty();
    assertThat(users.enableUser("a@acme.example").disabled()).as("the org is still disabled").isTrue();
  }

  @Test
  void auditValuesLongerThanTheirColumnsAreCutNotRefused() {
    String typed = "x".repeat(400) + "@example.com"; // what a failed sign-in may carry as actor and target
    accounts.audit().record(typed, "sign_in.failed", typed, null, "a".repeat(100), "d".repeat(600));

    AuditLog.Entry e = accounts.audit().page(null, null, 1).get(0);
    assertThat(e.actor()).hasSize(AuditLog.MAX_TEXT_CHARS);
    assertThat(e.target()).hasSize(AuditLog.MAX_TEXT_CHARS);
    assertThat(e.address()).hasSize(AuditLog.MAX_ADDRESS_CHARS);
    assertThat(e.detail()).hasSize(AuditLog.MAX_DETAIL_CHARS);
  }
}
