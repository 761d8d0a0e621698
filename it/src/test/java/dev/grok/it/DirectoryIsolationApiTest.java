package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.testing.leak.LeakDetection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
 * Roles and isolation of the users, orgs and audit operations over REST (the tunnel and token ones are
 * {@link IsolationApiTest}'s): three orgs, each with an org admin, two members and a disabled member, and the
 * super admin's token. Every id-bearing path ({@code /api/users/{email}/disable|enable},
 * {@code /api/orgs/{slug}/disable}, the {@code org} of a new user) is tried by every role across orgs: outside
 * one's scope the answer is 404 exactly as for a missing id, and nothing changes; an operation a role may never do
 * answers 403 whatever its target.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class DirectoryIsolationApiTest {
  private static final List<String> ORGS = List.of("acme", "globex", "initech");

  @TempDir
  static Path dataDir;
  static TestServer server;
  static AdminHttp admin;
  /** Email to {cookie, csrf} of the admins and enabled members. */
  static final Map<String, String[]> sessions = new HashMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    admin = new AdminHttp(server);
    Accounts accounts = Accounts.of(server.server().tokens());
    for (String org : ORGS) {
      accounts.users().createOrg(org, null);
      accounts.users().createUser(admin(org), null, Role.ORG_ADMIN, org, "admin password");
      for (String member : List.of(member(org, 1), member(org, 2), off(org))) {
        accounts.users().createUser(member, null, Role.ORG_USER, org, "member password");
      }
      accounts.users().disableUser(off(org));
    }
    for (String org : ORGS) {
      sessions.put(admin(org), signIn(admin(org), "admin password"));
      sessions.put(member(org, 1), signIn(member(org, 1), "member password"));
      sessions.put(member(org, 2), signIn(member(org, 2), "member password"));
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String admin(String org) {
    return "admin-" + org + "@example.com";
  }

  static String member(String org, int n) {
    return "m" + n + org + "@example.com";
  }

  static String off(String org) {
    return "off-" + org + "@example.com";
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

  private static HttpResponse<String> asSuperAdmin(String method, String path, String json) {
    return admin.bearer(method, path, json, server.adminToken());
  }

  private static String error(HttpResponse<String> r) {
    return AdminHttp.parse(r.body()).get("error").asText();
  }

  /** The super admin's view: email to disabled, for the users made by the set-up. */
  private static Map<String, Boolean> disabledByEmail() {
    HttpResponse<String> r = asSuperAdmin("GET", "/api/users", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Boolean> out = new HashMap<>();
    AdminHttp.parse(r.body()).get("users").forEach(u -> out.put(u.get("email").asText(),
        u.get("disabled").asBoolean()));
    return out;
  }

  private static List<String> setUpUsers(String org) {
    return List.of(admin(org), member(org, 1), member(org, 2), off(org));
  }

  @Test
  void orgAdminsGet404ForEveryUserOfAnotherOrgExactlyAsForAMissingOne() {
    Map<String, Boolean> before = disabledByEmail();
    for (String callerOrg : ORGS) {
      String caller = admin(callerOrg);
      for (String org : ORGS) {
        if (org.equals(callerOrg)) {
          continue;
        }
        for (String target : setUpUsers(org)) {
          for (String action : List.of("disable", "enable")) {
            HttpResponse<String> r = as(caller, "POST", "/api/users/" + target + "/" + action, null);
            assertThat(r.statusCode()).as(caller + " " + action + " " + target).isEqualTo(404);
            assertThat(error(r)).isEqualTo("no user '" + target + "'");
          }
        }
      }
      HttpResponse<String> missing = as(caller, "POST", "/api/users/ghost@example.com/disable", null);
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(error(missing)).isEqualTo("no user 'ghost@example.com'");
    }
    assertThat(disabledByEmail()).as("nothing changed").isEqualTo(before);
  }

  @Test
  void orgAdminsCreateUsersOnlyIntoTheirOwnOrgAndNeverSuperAdmins() {
    String caller = admin("globex");
    for (String other : List.of("acme", "initech", "no-such-org")) {
      HttpResponse<String> r = as(caller, "POST", "/api/users", AdminHttp.json(Map.of(
          "email", "intruder-" + other + "@example.com", "org", other, "password", "a long password")));
      assertThat(r.statusCode()).as(other + ": " + r.body()).isEqualTo(404);
      assertThat(error(r)).isEqualTo("no org '" + other + "'");
    }
    HttpResponse<String> superAdmin = as(caller, "POST", "/api/users", AdminHttp.json(Map.of(
        "email", "boss@example.com", "role", "super_admin")));
    assertThat(superAdmin.statusCode()).as(superAdmin.body()).isEqualTo(403);
    assertThat(disabledByEmail().keySet()).as("nobody was created")
        .noneMatch(e -> e.startsWith("intruder-") || e.equals("boss@example.com"));
  }

  @Test
  void orgUsersMayNeverManageUsersOrgsOrReadTheAuditLog() {
    Map<String, Boolean> before = disabledByEmail();
    for (String org : ORGS) {
      String caller = member(org, 1);
      List<String> targets = new ArrayList<>(List.of(caller, member(org, 2), off(org), admin(org),
          "ghost@example.com"));
      targets.add(member(ORGS.get((ORGS.indexOf(org) + 1) % ORGS.size()), 1));
      for (String target : targets) {
        for (String action : List.of("disable", "enable")) {
          assertThat(as(caller, "POST", "/api/users/" + target + "/" + action, null).statusCode())
              .as(caller + " " + action + " " + target).isEqualTo(403);
        }
      }
      assertThat(as(caller, "POST", "/api/users", AdminHttp.json(Map.of("email", "new-" + org + "@example.com")))
          .statusCode()).isEqualTo(403);
      assertThat(as(caller, "POST", "/api/orgs", "{\"slug\":\"rogue\"}").statusCode()).isEqualTo(403);
      for (String slug : List.of(org, "globex", "no-such-org")) {
        assertThat(as(caller, "POST", "/api/orgs/" + slug + "/disable", null).statusCode()).isEqualTo(403);
      }
      HttpResponse<String> audit = as(caller, "GET", "/api/audit", null);
      assertThat(audit.statusCode()).isEqualTo(403);
      assertThat(error(audit)).contains("administrators");
      assertThat(as(caller, "GET", "/api/audit?before=aud_00000000000000000zzzz", null).statusCode())
          .isEqualTo(403);
    }
    assertThat(disabledByEmail()).as("nothing changed").isEqualTo(before);
  }

  @Test
  void onlyTheSuperAdminCreatesOrDisablesOrgs() {
    for (String org : ORGS) {
      String caller = admin(org);
      assertThat(as(caller, "POST", "/api/orgs", "{\"slug\":\"rogue-" + org + "\"}").statusCode()).isEqualTo(403);
      for (String slug : ORGS) {
        assertThat(as(caller, "POST", "/api/orgs/" + slug + "/disable", null).statusCode())
            .as(caller + " disables " + slug).isEqualTo(403);
      }
    }
    HttpResponse<String> orgs = asSuperAdmin("GET", "/api/orgs", null);
    assertThat(orgs.statusCode()).isEqualTo(200);
    JsonNode list = AdminHttp.parse(orgs.body()).get("orgs");
    List<String> slugs = new ArrayList<>();
    list.forEach(o -> {
      slugs.add(o.get("slug").asText());
      assertThat(o.get("disabled").asBoolean()).as(o.toString()).isFalse();
    });
    assertThat(slugs).containsAll(ORGS).noneMatch(s -> s.startsWith("rogue"));
    assertThat(asSuperAdmin("POST", "/api/orgs/no-such-org/disable", null).statusCode()).isEqualTo(404);
  }

  @Test
  void everyoneSeesTheirOwnOrgOnlyAndTheSuperAdminAllWithMemberCounts() {
    for (String org : ORGS) {
      for (String caller : List.of(admin(org), member(org, 2))) {
        JsonNode list = AdminHttp.parse(as(caller, "GET", "/api/orgs", null).body()).get("orgs");
        assertThat(list).as(caller).hasSize(1);
        assertThat(list.get(0).get("slug").asText()).isEqualTo(org);
      }
    }
    JsonNode all = AdminHttp.parse(asSuperAdmin("GET", "/api/orgs", null).body()).get("orgs");
    Map<String, Integer> members = new HashMap<>();
    all.forEach(o -> members.put(o.get("slug").asText(), o.get("members").asInt()));
    for (String org : ORGS) {
      assertThat(members.get(org)).as(org).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void orgAdminsReadTheirOrgsAuditEntriesOnlyAndTheSuperAdminEveryOrgs() {
    for (String org : ORGS) {
      HttpResponse<String> r = as(admin(org), "GET", "/api/audit?limit=200", null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<String> targets = new ArrayList<>();
      AdminHttp.parse(r.body()).get("entries").forEach(e -> {
        assertThat(e.get("org").asText()).as(e.toString()).isEqualTo(org);
        targets.add(e.get("target").asText());
      });
      assertThat(targets).as("the set-up's sign-ins of this org").contains(admin(org), member(org, 1),
          member(org, 2));
    }
    List<String> orgs = new ArrayList<>();
    AdminHttp.parse(asSuperAdmin("GET", "/api/audit?limit=200", null).body()).get("entries")
        .forEach(e -> orgs.add(e.get("org").asText()));
    assertThat(orgs).containsAll(ORGS);
  }

  @Test
  void orgAdminsManageTheirOwnMembersButNotThemselvesNorSuperAdmins() {
    String caller = admin("initech");
    HttpResponse<String> created = as(caller, "POST", "/api/users", AdminHttp.json(Map.of(
        "email", "new-initech@example.com", "role", "org_admin", "password", "a long password")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode user = AdminHttp.parse(created.body()).get("user");
    assertThat(user.get("org").asText()).as("an org admin's users land in their org").isEqualTo("initech");
    assertThat(user.get("role").asText()).isEqualTo("org_admin");

    HttpResponse<String> disabled = as(caller, "POST", "/api/users/new-initech@example.com/disable", null);
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    assertThat(AdminHttp.parse(disabled.body()).at("/user/disabled").asBoolean()).isTrue();
    HttpResponse<String> enabled = as(caller, "POST", "/api/users/new-initech@example.com/enable", null);
    assertThat(AdminHttp.parse(enabled.body()).at("/user/disabled").asBoolean()).isFalse();

    HttpResponse<String> self = as(caller, "POST", "/api/users/" + caller + "/disable", null);
    assertThat(self.statusCode()).isEqualTo(409);
    assertThat(error(self)).contains("yourself");

    Accounts.of(server.server().tokens()).users().createUser("root-initech@example.com", null, Role.SUPER_ADMIN,
        "initech", null);
    assertThat(as(caller, "POST", "/api/users/root-initech@example.com/disable", null).statusCode())
        .as("a super admin in the org admin's org").isEqualTo(403);
    assertThat(disabledByEmail().get("root-initech@example.com")).isFalse();
  }
}
