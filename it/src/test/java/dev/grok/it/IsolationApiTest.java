package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles and isolation over the REST API: three orgs, each with an org admin and two members; every member runs a
 * tunnel and holds a token. Every id-bearing path is tried by every role across orgs: outside one's scope the answer
 * is 404, exactly as for an id that does not exist, and nothing changes.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class IsolationApiTest {
  private static final List<String> ORGS = List.of("acme", "globex", "initech");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static AdminHttp admin;
  static Accounts accounts;
  /** Email to {cookie, csrf}. */
  static final Map<String, String[]> sessions = new HashMap<>();
  /** Member email to the name of their live tunnel, and to their token's id. */
  static final Map<String, String> tunnelOf = new HashMap<>();
  static final Map<String, String> tokenIdOf = new HashMap<>();
  static final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    admin = new AdminHttp(server);
    accounts = Accounts.of(server.server().tokens());
    for (String org : ORGS) {
      accounts.users().createOrg(org, null);
      accounts.users().createUser(admin(org), null, Role.ORG_ADMIN, org, "admin password");
      for (String member : List.of(member(org, 1), member(org, 2))) {
        accounts.users().createUser(member, null, Role.ORG_USER, org, "member password");
        var token = server.createToken("tok-" + member.replace('@', '-'), member);
        tokenIdOf.put(member, token.id());
        TestClient c = TestClient.ready(server, token.token(), "t" + member.substring(0, member.indexOf('@')),
            String.valueOf(origin.port()));
        clients.add(c);
        tunnelOf.put(member, c.publicUrl().replaceFirst("^http://", "").split("\\.", 2)[0]);
      }
    }
    for (String org : ORGS) {
      for (String email : List.of(admin(org), member(org, 1), member(org, 2))) {
        sessions.put(email, signIn(email, email.startsWith("admin") ? "admin password" : "member password"));
      }
    }
  }

  @AfterAll
  static void stop() {
    clients.forEach(TestClient::close);
    server.close();
    origin.close();
  }

  static String admin(String org) {
    return "admin-" + org + "@example.com";
  }

  static String member(String org, int n) {
    return "m" + n + org + "@example.com";
  }

  private static String[] signIn(String email, String password) {
    HttpResponse<String> r = admin.send("POST", "/api/auth/login",
        AdminHttp.json(Map.of("email", email, "password", password)));
    assertThat(r.statusCode()).as(email + ": " + r.body()).isEqualTo(200);
    return new String[] {r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0],
        AdminHttp.parse(r.body()).get("csrf_token").asText()};
  }

  private static HttpResponse<String> as(String email, String method, String path, String json) {
    String[] s = sessions.get(email);
    return admin.send(method, path, json, "Cookie", s[0], "X-CSRF-Token", s[1]);
  }

  private static List<String> names(HttpResponse<String> r, String list, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    AdminHttp.parse(r.body()).get(list).forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  @Test
  void membersSeeTheirOwnTunnelsAdminsTheirOrgsAndTheSuperAdminAll() {
    for (String org : ORGS) {
      assertThat(names(as(member(org, 1), "GET", "/api/tunnels", null), "tunnels", "name"))
          .containsExactly(tunnelOf.get(member(org, 1)));
      assertThat(names(as(admin(org), "GET", "/api/tunnels", null), "tunnels", "name"))
          .containsExactlyInAnyOrder(tunnelOf.get(member(org, 1)), tunnelOf.get(member(org, 2)));
    }
    assertThat(names(admin.bearer("GET", "/api/tunnels", null, server.adminToken()), "tunnels", "name"))
        .containsAll(tunnelOf.values());
  }

  @Test
  void tokensAndUsersAreListedWithinTheScopeOnly() {
    for (String org : ORGS) {
      // Other tests of this class add tokens: check whose they are, and that the setup's are there.
      HttpResponse<String> own = as(member(org, 2), "GET", "/api/tokens", null);
      assertThat(names(own, "tokens", "user")).containsOnly(member(org, 2));
      assertThat(names(own, "tokens", "id")).contains(tokenIdOf.get(member(org, 2)));
      HttpResponse<String> orgs = as(admin(org), "GET", "/api/tokens", null);
      assertThat(names(orgs, "tokens", "user")).containsOnly(member(org, 1), member(org, 2));
      assertThat(names(orgs, "tokens", "id")).contains(tokenIdOf.get(member(org, 1)), tokenIdOf.get(member(org, 2)));
      assertThat(names(as(member(org, 1), "GET", "/api/users", null), "users", "email"))
          .containsExactly(member(org, 1));
      assertThat(names(as(admin(org), "GET", "/api/users", null), "users", "email"))
          .containsExactlyInAnyOrder(admin(org), member(org, 1), member(org, 2));
      assertThat(as(admin(org), "GET", "/api/stats", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void everyIdBearingPathAnswers404OutsideTheScopeAndChangesNothing() {
    for (String caller : sessions.keySet()) {
      for (String org : ORGS) {
        for (String target : List.of(member(org, 1), member(org, 2))) {
          boolean inScope = caller.equals(target) || (caller.equals(admin(org)));
          if (inScope) {
            continue;
          }
          String what = caller + " -> " + target;
          String tunnel = tunnelOf.get(target);
          assertThat(as(caller, "DELETE", "/api/tunnels/" + tunnel, null).statusCode()).as(what).isEqualTo(404);
          assertThat(as(caller, "GET", "/api/tunnels/" + tunnel + "/requests", null).statusCode()).as(what)
              .isEqualTo(404);
          assertThat(as(caller, "DELETE", "/api/tokens/" + tokenIdOf.get(target), null).statusCode()).as(what)
              .isEqualTo(404);
          assertThat(as(caller, "POST", "/api/tokens", AdminHttp.json(Map.of("name", "x" + tunnel, "user", target)))
              .statusCode()).as(what).isEqualTo(404);
        }
      }
    }
    // Nothing was stopped or revoked.
    assertThat(names(admin.bearer("GET", "/api/tunnels", null, server.adminToken()), "tunnels", "name"))
        .containsAll(tunnelOf.values());
    JsonNode tokens = AdminHttp.parse(admin.bearer("GET", "/api/tokens", null, server.adminToken()).body());
    tokens.get("tokens").forEach(t -> {
      if (tokenIdOf.containsValue(t.get("id").asText())) {
        assertThat(t.get("status").asText()).as(t.toString()).isEqualTo("active");
      }
    });
  }

  @Test
  void membersTunnelsArePublishedAsNameDashOrgSlugAndRouted() throws Exception {
    for (String org : ORGS) {
      String name = tunnelOf.get(member(org, 1));
      assertThat(name).isEqualTo("tm1" + org + "-" + org);
      assertThat(RawHttp.exchange(server.httpPort(), RawRequest.get("/echo/x").host(server.host(name))).status())
          .isEqualTo(200);
    }
  }

  @Test
  void orgAdminStopsAMembersTunnelAndTheClientExits() {
    var token = server.createToken("initech-extra", member("initech", 1));
    try (TestClient extra = TestClient.ready(server, token.token(), "extra-initech", String.valueOf(origin.port()))) {
      String name = extra.publicUrl().replaceFirst("^http://", "").split("\\.", 2)[0];
      assertThat(as(member("initech", 2), "DELETE", "/api/tunnels/" + name, null).statusCode()).isEqualTo(404);
      HttpResponse<String> stopped = as(admin("initech"), "DELETE", "/api/tunnels/" + name, null);
      assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
      assertThat(extra.awaitTerminated(WAIT)).isEqualTo(5);
    }
  }

  @Test
  void memberCreatesATokenForThemselfAndOrgAdminRevokesAMembersToken() {
    JsonNode created = AdminHttp.parse(as(member("globex", 1), "POST", "/api/tokens",
        "{\"name\":\"globex-m1-second\"}").body());
    assertThat(created.get("user").asText()).isEqualTo(member("globex", 1));
    assertThat(created.get("token").asText()).startsWith("grok_");
    assertThat(as(admin("globex"), "DELETE", "/api/tokens/" + created.get("id").asText(), null).statusCode())
        .isEqualTo(200);
    JsonNode forMember = AdminHttp.parse(as(admin("globex"), "POST", "/api/tokens",
        AdminHttp.json(Map.of("name", "globex-m2-by-admin", "user", member("globex", 2)))).body());
    assertThat(forMember.get("user").asText()).isEqualTo(member("globex", 2));
  }
}
