package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users and orgs over REST and what a change does to live tunnels: disabling a user (or their org) ends their
 * tunnels at once (the client exits 3, as for a revoked token) and their tokens refuse new connections until the
 * user is enabled again; a change made outside the API (the CLI, another server) bites within the revocation poll.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class DirectoryApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dataDir;
  TestServer server;
  LocalHttpOrigin origin;
  AdminHttp admin;
  Accounts accounts;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    admin = new AdminHttp(server);
    accounts = Accounts.of(server.server().tokens());
    accounts.users().createOrg("acme", null);
    accounts.users().createUser("boss@acme.example", null, Role.ORG_ADMIN, "acme", "boss password");
  }

  @AfterEach
  void stop() {
    server.close();
    origin.close();
  }

  private String[] signIn(String email, String password) {
    HttpResponse<String> r = login(email, password);
    assertThat(r.statusCode()).as(email + ": " + r.body()).isEqualTo(200);
    return new String[] {r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0],
        AdminHttp.parse(r.body()).get("csrf_token").asText()};
  }

  private HttpResponse<String> login(String email, String password) {
    return admin.send("POST", "/api/auth/login", AdminHttp.json(Map.of("email", email, "password", password)));
  }

  private HttpResponse<String> as(String[] session, String method, String path, String json) {
    return admin.send(method, path, json, "Cookie", session[0], "X-CSRF-Token", session[1]);
  }

  private HttpResponse<String> asSuperAdmin(String method, String path, String json) {
    return admin.bearer(method, path, json, server.adminToken());
  }

  private TestClient tunnel(String token) {
    return TestClient.ready(server, token, null, String.valueOf(origin.port()));
  }

  @Test
  void orgAdminCreatesAMemberWithAPasswordThatSignsIn() {
    String[] boss = signIn("boss@acme.example", "boss password");
    HttpResponse<String> created = as(boss, "POST", "/api/users", AdminHttp.json(Map.of("email", "Ann@Acme.example",
        "name", "Ann", "password", "ann password")));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode user = AdminHttp.parse(created.body()).get("user");
    assertThat(user.get("email").asText()).isEqualTo("ann@acme.example");
    assertThat(user.get("role").asText()).isEqualTo("org_user");
    assertThat(user.get("org").asText()).isEqualTo("acme");
    assertThat(user.get("display_name").asText()).isEqualTo("Ann");
    assertThat(user.get("has_password").asBoolean()).isTrue();
    assertThat(login("ann@acme.example", "ann password").statusCode()).isEqualTo(200);
  }

  @Test
  void badOrTakenUsersAndOrgsAreRefusedWithWhatWasExpected() {
    HttpResponse<String> badEmail = asSuperAdmin("POST", "/api/users", "{\"email\":\"nope\"}");
    assertThat(badEmail.statusCode()).isEqualTo(400);
    assertThat(badEmail.body()).contains("email: 'nope'");
    HttpResponse<String> shortPassword = asSuperAdmin("POST", "/api/users",
        "{\"email\":\"a@acme.example\",\"password\":\"short\"}");
    assertThat(shortPassword.statusCode()).isEqualTo(400);
    assertThat(shortPassword.body()).contains("password: 5 characters");
    HttpResponse<String> badRole = asSuperAdmin("POST", "/api/users", "{\"email\":\"a@acme.example\",\"role\":\"x\"}");
    assertThat(badRole.statusCode()).isEqualTo(400);
    assertThat(badRole.body()).contains("role: 'x'");
    assertThat(asSuperAdmin("POST", "/api/users", "{\"email\":\"boss@acme.example\"}").statusCode()).isEqualTo(409);

    assertThat(asSuperAdmin("POST", "/api/orgs", "{\"slug\":\"www\"}").statusCode()).isEqualTo(400);
    assertThat(asSuperAdmin("POST", "/api/orgs", "{\"slug\":\"ACME\"}").statusCode()).isEqualTo(409);
    HttpResponse<String> org = asSuperAdmin("POST", "/api/orgs", "{\"slug\":\"globex\",\"name\":\"Globex Corp\"}");
    assertThat(org.statusCode()).as(org.body()).isEqualTo(201);
    assertThat(AdminHttp.parse(org.body()).at("/org/name").asText()).isEqualTo("Globex Corp");
    assertThat(asSuperAdmin("POST", "/api/users/ghost@acme.example/disable", null).statusCode()).isEqualTo(404);
  }

  @Test
  void disablingAUserEndsTheirTunnelAndSessionsAndTheirTokenRefusesNewTunnelsUntilEnabled() {
    accounts.users().createUser("ann@acme.example", null, Role.ORG_USER, "acme", "ann password");
    String token = server.createToken("ann-laptop", "ann@acme.example").token();
    String[] ann = signIn("ann@acme.example", "ann password");
    String[] boss = signIn("boss@acme.example", "boss password");
    try (TestClient live = tunnel(token)) {
      HttpResponse<String> disabled = as(boss, "POST", "/api/users/ann@acme.example/disable", null);

      assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
      assertThat(AdminHttp.parse(disabled.body()).at("/user/disabled").asBoolean()).isTrue();
      assertThat(live.awaitTerminated(WAIT)).as("the live tunnel ended as for a revoked token").isEqualTo(3);
    }
    assertThat(as(ann, "GET", "/api/me", null).statusCode()).as("her dashboard session ended").isEqualTo(401);
    assertThat(login("ann@acme.example", "ann password").statusCode()).isEqualTo(401);
    try (TestClient refused = TestClient.start(server, token, null, String.valueOf(origin.port()))) {
      assertThat(refused.awaitTerminated(WAIT)).as("the token refuses new tunnels").isEqualTo(3);
    }
    JsonNode tokens = AdminHttp.parse(as(boss, "GET", "/api/tokens", null).body()).get("tokens");
    assertThat(tokens.get(0).get("status").asText()).as("disabled, not revoked").isEqualTo("active");

    HttpResponse<String> enabled = as(boss, "POST", "/api/users/ann@acme.example/enable", null);

    assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
    assertThat(login("ann@acme.example", "ann password").statusCode()).isEqualTo(200);
    try (TestClient again = tunnel(token)) {
      assertThat(again.publicUrl()).contains("-acme.");
    }
  }

  @Test
  void disablingAnOrgEndsItsMembersTunnelsAndRefusesTheirTokens() {
    HttpResponse<String> org = asSuperAdmin("POST", "/api/orgs", "{\"slug\":\"globex\"}");
    assertThat(org.statusCode()).as(org.body()).isEqualTo(201);
    HttpResponse<String> member = asSuperAdmin("POST", "/api/users", AdminHttp.json(Map.of(
        "email", "gil@globex.example", "org", "globex")));
    assertThat(member.statusCode()).as(member.body()).isEqualTo(201);
    HttpResponse<String> created = asSuperAdmin("POST", "/api/tokens", AdminHttp.json(Map.of(
        "name", "gil-laptop", "user", "gil@globex.example")));
    String token = AdminHttp.parse(created.body()).get("token").asText();
    try (TestClient live = tunnel(token);
        TestClient bystander = tunnel(server.createToken("boss-laptop", "boss@acme.example").token())) {
      HttpResponse<String> disabled = asSuperAdmin("POST", "/api/orgs/globex/disable", null);

      assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
      assertThat(AdminHttp.parse(disabled.body()).at("/org/disabled").asBoolean()).isTrue();
      assertThat(AdminHttp.parse(disabled.body()).at("/org/members").asInt()).isEqualTo(1);
      assertThat(live.awaitTerminated(WAIT)).isEqualTo(3);
      try (TestClient refused = TestClient.start(server, token, null, String.valueOf(origin.port()))) {
        assertThat(refused.awaitTerminated(WAIT)).isEqualTo(3);
      }
      JsonNode tunnels = AdminHttp.parse(asSuperAdmin("GET", "/api/tunnels", null).body()).get("tunnels");
      assertThat(tunnels).as("another org's tunnel is untouched").hasSize(1);
      assertThat(bystander.publicUrl()).contains(tunnels.get(0).get("name").asText());
    }
  }

  @Test
  void aUserDisabledOutsideTheApiLosesTheirTunnelAtTheNextRevocationPoll() {
    accounts.users().createUser("cli-made@acme.example", null, Role.ORG_USER, "acme", null);
    String token = server.createToken("cli-laptop", "cli-made@acme.example").token();
    try (TestClient live = tunnel(token)) {
      accounts.users().disableUser("cli-made@acme.example"); // as `grok-server user disable` does: server not told

      assertThat(live.awaitTerminated(WAIT)).isEqualTo(3);
    }
    try (TestClient refused = TestClient.start(server, token, null, String.valueOf(origin.port()))) {
      assertThat(refused.awaitTerminated(WAIT)).isEqualTo(3);
    }
  }
}
