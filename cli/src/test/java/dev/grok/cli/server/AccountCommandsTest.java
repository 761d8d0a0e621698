package dev.grok.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.Invocation;
import dev.grok.cli.ServerMain;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.AuditLog;
import dev.grok.server.auth.SignIn;
import dev.grok.server.auth.TokenStore;
import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code user} and {@code org} against the real stores, on SQLite (--data-dir) and PostgreSQL (--db-url). */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class AccountCommandsTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  private TestDatabase db;

  @BeforeEach
  void database() {
    db = backend.fresh(dataDir);
  }

  private Invocation runWithStdin(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(db.cliOptions());
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
    try {
      return Invocation.run(ServerMain.commandLine(Map.of()), all.toArray(String[]::new));
    } finally {
      System.setIn(original);
    }
  }

  private Invocation run(String... args) {
    return runWithStdin(null, args);
  }

  private SignIn.Result signIn(String email, String password) {
    try (TokenStore store = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      return Accounts.of(store).signIn().attempt(email, password, null);
    }
  }

  @Test
  void orgCreateAndListPrintOneRowEach() {
    Invocation created = run("org", "create", "acme", "--name", "Acme Corp");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().lines().toList()).singleElement().asString()
        .matches("org_[a-z0-9]{10}  acme  active  Acme Corp");

    run("org", "create", "globex");
    Invocation list = run("org", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines().map(l -> l.split("\\s+")[1]).toList()).containsExactly("acme", "globex");
  }

  @Test
  void userCreateWithPasswordFromStdinCanSignIn() {
    run("org", "create", "acme");
    Invocation created = runWithStdin("correct horse battery\n", "user", "create", "Alice@Example.com", "--name", "Alice",
        "--role", "org_admin", "--org", "acme", "--password-stdin");

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().lines().toList()).singleElement().asString()
        .matches("usr_[a-z0-9]{10}  alice@example.com  org_admin  acme  active  -");
    assertThat(signIn("alice@example.com", "correct horse battery")).isInstanceOf(SignIn.Success.class);
  }

  @Test
  void userWithoutPasswordIsListedSoAndGetsOneWithPasswd() {
    run("user", "create", "bob@example.com");
    assertThat(run("user", "list").out()).contains("bob@example.com  org_user  -  no-password");
    assertThat(signIn("bob@example.com", "some password")).isInstanceOf(SignIn.Failure.class);

    Invocation passwd = runWithStdin("some password\n", "user", "passwd", "bob@example.com", "--password-stdin");

    assertThat(passwd.exitCode()).as(passwd.err()).isZero();
    assertThat(passwd.out()).isEqualTo("password set for bob@example.com\n");
    assertThat(signIn("bob@example.com", "some password")).isInstanceOf(SignIn.Success.class);
  }

  @Test
  void disableUserAndOrgPrintWhatWasDone() {
    run("org", "create", "acme");
    runWithStdin("pw-for-carol\n", "user", "create", "carol@example.com", "--org", "acme", "--password-stdin");

    assertThat(run("user", "disable", "carol@example.com").out()).isEqualTo("disabled carol@example.com\n");
    assertThat(run("org", "disable", "acme").out()).isEqualTo("disabled acme\n");
    assertThat(run("user", "list").out()).contains("carol@example.com  org_user  acme  disabled");
    assertThat(run("org", "list").out()).contains("acme  disabled");
    assertThat(signIn("carol@example.com", "pw-for-carol")).isInstanceOf(SignIn.Failure.class);
  }

  @Test
  void badInputIsAUsageErrorAndUnknownOrTakenNamesFailWithTheirMessage() {
    Invocation badEmail = run("user", "create", "nope");
    assertThat(badEmail.exitCode()).isEqualTo(2);
    assertThat(badEmail.err()).contains("email: 'nope' (expected: an address such as alice@example.com)");
    assertThat(badEmail.out()).isEmpty();

    Invocation badRole = run("user", "create", "a@example.com", "--role", "boss");
    assertThat(badRole.exitCode()).isEqualTo(2);
    assertThat(badRole.err()).contains("--role: 'boss' (expected: one of super_admin, org_admin, org_user)");

    Invocation noStdin = runWithStdin("", "user", "create", "a@example.com", "--password-stdin");
    assertThat(noStdin.exitCode()).isEqualTo(2);
    assertThat(noStdin.err()).contains("standard input is empty");

    Invocation unknown = run("user", "disable", "ghost@example.com");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no user 'ghost@example.com' (see 'user list')");

    run("org", "create", "acme");
    Invocation taken = run("org", "create", "ACME");
    assertThat(taken.exitCode()).isEqualTo(1);
    assertThat(taken.err()).contains("org 'acme' already exists");
    assertThat(run("user", "list").out()).isEmpty();
  }

  @Test
  void bannerCommandMakesASuperAdmin() {
    Invocation created = runWithStdin("a long password\n", "user", "create", "root@example.com", "--role", "super_admin",
        "--password-stdin");
    assertThat(created.out()).contains("root@example.com  super_admin  -  active");
    assertThat(signIn("root@example.com", "a long password")).isInstanceOf(SignIn.Success.class);
  }

  @Test
  void enableLetsADisabledUserSignInAgain() {
    runWithStdin("pw-for-dave\n", "user", "create", "dave@example.com", "--password-stdin");
    run("user", "disable", "dave@example.com");
    assertThat(signIn("dave@example.com", "pw-for-dave")).isInstanceOf(SignIn.Failure.class);

    Invocation enabled = run("user", "enable", "dave@example.com");

    assertThat(enabled.exitCode()).as(enabled.err()).isZero();
    assertThat(enabled.out()).isEqualTo("enabled dave@example.com\n");
    assertThat(signIn("dave@example.com", "pw-for-dave")).isInstanceOf(SignIn.Success.class);
  }

  @Test
  void everyChangeIsAuditedWithActorCliUnderTheOrgItConcerns() {
    run("org", "create", "acme");
    runWithStdin("pw-for-erin\n", "user", "create", "erin@example.com", "--org", "acme", "--password-stdin");
    runWithStdin("pw-for-erin2\n", "user", "passwd", "erin@example.com", "--password-stdin");
    run("user", "disable", "erin@example.com");
    run("user", "enable", "erin@example.com");
    Invocation token = run("token", "create", "erin-laptop", "--user", "erin@example.com");
    assertThat(token.exitCode()).as(token.err()).isZero();
    assertThat(run("token", "revoke", "erin-laptop").exitCode()).isZero();
    run("org", "disable", "acme");
    assertThat(run("token", "revoke", "no-such-token").exitCode()).as("nothing revoked, nothing audited").isOne();

    try (TokenStore store = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      Accounts accounts = Accounts.of(store);
      String acme = accounts.users().org("acme").orElseThrow().id();
      String tokenId = store.list().get(0).id();
      List<AuditLog.Entry> entries = accounts.audit().page(null, null, 50).reversed();
      assertThat(entries).extracting(AuditLog.Entry::action).containsExactly("org.create", "user.create",
          "user.passwd", "user.disable", "user.enable", "token.create", "token.revoke", "org.disable");
      assertThat(entries).allSatisfy(e -> {
        assertThat(e.actor()).isEqualTo("cli");
        assertThat(e.address()).as("no address from the CLI").isNull();
        assertThat(e.orgId()).isEqualTo(acme);
      });
      assertThat(entries).extracting(AuditLog.Entry::target).containsExactly("acme", "erin@example.com",
          "erin@example.com", "erin@example.com", "erin@example.com", tokenId, tokenId, "acme");
      assertThat(entries.get(5).detail()).isEqualTo("name erin-laptop, user erin@example.com");
    }
  }
}
