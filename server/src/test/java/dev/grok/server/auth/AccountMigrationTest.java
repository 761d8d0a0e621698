package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A database made before accounts existed (schema V1) migrates: its users keep their tokens, gain no password. */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class AccountMigrationTest {
  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;

  @Test
  void usersOfTokensBecomeAccountsWithoutPasswordAndAdminBecomesSuperAdmin() throws Exception {
    TestDatabase db = backend.fresh(dataDir);
    if (db.url() == null) {
      java.nio.file.Files.createDirectories(dataDir);
    }
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
        .target("1").load().migrate();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO users (id, name, created_at) VALUES ('usr_a', 'alice', 1), ('usr_b', 'admin', 2)");
      s.execute("INSERT INTO tokens (id, name, user_id, token_hash, created_at) VALUES ('tok_a', 'laptop', 'usr_a', '"
          + TokenSecrets.hash("grok_alice") + "', 3)");
    }

    try (TokenStore tokens = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      Accounts accounts = Accounts.of(tokens, new PasswordHasher(64, 1), System::currentTimeMillis);
      Account alice = accounts.users().user("alice").orElseThrow();
      assertThat(alice.id()).isEqualTo("usr_a");
      assertThat(alice.email()).isEqualTo("alice");
      assertThat(alice.role()).isEqualTo(Role.ORG_USER);
      assertThat(alice.hasPassword()).isFalse();
      assertThat(alice.orgId()).isNull();
      assertThat(accounts.users().user("admin").orElseThrow().role()).isEqualTo(Role.SUPER_ADMIN);
      assertThat(tokens.authenticate("grok_alice")).map(TokenInfo::user).contains("alice");
      assertThat(accounts.signIn().attempt("alice", "any password at all", null))
          .isInstanceOf(SignIn.Failure.class);

      accounts.users().setPassword("alice", "a new password");
      assertThat(accounts.signIn().attempt("alice", "a new password", null)).isInstanceOf(SignIn.Success.class);
    }
    try (Connection c = db.connect(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM tokens")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1); // the tokens table was extended in place, never recreated
    }
  }

  @Test
  void userMadeByTokenCreateAfterTheMigrationIsAnAccountToo() {
    TestDatabase db = backend.fresh(dataDir);
    try (TokenStore tokens = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      tokens.create("laptop", "bob");
      tokens.create("admin", TokenStore.ADMIN_USER);
      Accounts accounts = Accounts.of(tokens, new PasswordHasher(64, 1), System::currentTimeMillis);
      assertThat(accounts.users().user("bob").orElseThrow().role()).isEqualTo(Role.ORG_USER);
      assertThat(accounts.users().user("admin").orElseThrow().role()).isEqualTo(Role.SUPER_ADMIN);
      assertThat(accounts.users().users(null)).extracting(Account::name).containsExactly("admin", "bob");
    }
  }
}
