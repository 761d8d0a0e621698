package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.RecordingListener;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.CreatedToken;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.TokenStore;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one org's users can learn or take of another's: nothing through token names (unique per user, so another
 * org's name is no conflict), and no tunnel name in another org's namespace ({@code NAME-ORGSLUG}). The orgs exist
 * before the server starts, so the server knows them from its first registration.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class OrgBoundariesTest {
  private static final Duration FATAL_TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;

  @BeforeAll
  static void start() {
    try (TokenStore tokens = TokenStore.open(dataDir, null, null, null)) {
      Accounts accounts = Accounts.of(tokens);
      accounts.users().createOrg("acme", null);
      accounts.users().createOrg("globex", null);
      accounts.users().createUser("alice@acme.example", null, Role.ORG_USER, "acme", "alice password");
      accounts.users().createUser("bob@globex.example", null, Role.ORG_USER, "globex", "bob password");
    }
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    origin.close();
  }

  @Test
  void tokenNameUsedInAnotherOrgIsCreatedNotRefused() {
    server.createToken("laptop", "alice@acme.example");
    AdminHttp admin = new AdminHttp(server);
    HttpResponse<String> login = admin.send("POST", "/api/auth/login",
        AdminHttp.json(Map.of("email", "bob@globex.example", "password", "bob password")));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    String csrf = AdminHttp.parse(login.body()).get("csrf_token").asText();

    HttpResponse<String> created = admin.send("POST", "/api/tokens", AdminHttp.json(Map.of("name", "laptop")),
        "Cookie", cookie, "X-CSRF-Token", csrf);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(AdminHttp.parse(created.body()).get("user").asText()).isEqualTo("bob@globex.example");
    HttpResponse<String> again = admin.send("POST", "/api/tokens", AdminHttp.json(Map.of("name", "laptop")),
        "Cookie", cookie, "X-CSRF-Token", csrf);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("already exists for user 'bob@globex.example'").doesNotContain("alice");
  }

  @Test
  void userOutsideTheOrgCannotTakeANameInItsNamespaceButItsMemberGetsIt() {
    CreatedToken outsider = server.createToken("outsider", "mallory");
    try (TestClient client = TestClient.start(server, outsider.token(), "demo-acme", origin.hostAndPort())) {
      RecordingListener.Event fatal = client.awaitFatal(FATAL_TIMEOUT);
      assertThat(fatal.exitCode()).as(fatal.toString()).isEqualTo(4);
      assertThat(fatal.message()).contains("invalid subdomain").contains("'-acme'");
    }
    CreatedToken member = server.createToken("alices-desktop", "alice@acme.example");
    try (TestClient client = TestClient.ready(server, member.token(), "demo", origin.hostAndPort())) {
      assertThat(client.publicUrl()).isEqualTo(server.publicUrl("demo-acme"));
    }
  }
}
