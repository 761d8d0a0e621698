package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.Totp;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/audit}: every event the accounts issue names is there with who, when and from where (sign-ins
 * that worked, failed, failed on the code or were throttled; 2FA on and off; tokens, users and orgs changed; a
 * tunnel stopped), an org admin reads their org's entries only, and the pages walk the whole log newest first.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class AuditApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dataDir;
  TestServer server;
  AdminHttp admin;
  Accounts accounts;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir);
    admin = new AdminHttp(server);
    accounts = Accounts.of(server.server().tokens());
    accounts.users().createOrg("acme", null);
    accounts.users().createUser("boss@acme.example", null, Role.ORG_ADMIN, "acme", "boss password");
    accounts.users().createUser("ann@acme.example", null, Role.ORG_USER, "acme", "ann password");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> login(String email, String password, String code) {
    return admin.send("POST", "/api/auth/login", AdminHttp.json(code == null
        ? Map.of("email", email, "password", password)
        : Map.of("email", email, "password", password, "otp_code", code)));
  }

  private String[] signIn(String email, String password) {
    HttpResponse<String> r = login(email, password, null);
    assertThat(r.statusCode()).as(email + ": " + r.body()).isEqualTo(200);
    return new String[] {r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0],
        AdminHttp.parse(r.body()).get("csrf_token").asText()};
  }

  private HttpResponse<String> as(String[] session, String method, String path, String json) {
    return admin.send(method, path, json, "Cookie", session[0], "X-CSRF-Token", session[1]);
  }

  private HttpResponse<String> asSuperAdmin(String method, String path, String json) {
    return admin.bearer(method, path, json, server.adminToken());
  }

  private static List<JsonNode> entries(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    AdminHttp.parse(r.body()).get("entries").forEach(out::add);
    return out;
  }

  /** The one entry of {@code action} that matches, failing with the whole log when there is not exactly one. */
  private static JsonNode only(List<JsonNode> log, String action, Predicate<JsonNode> matching) {
    List<JsonNode> found = log.stream().filter(e -> e.get("action").asText().equals(action)).filter(matching)
        .toList();
    assertThat(found).as(action + " in " + log).hasSize(1);
    return found.get(0);
  }

  private static Predicate<JsonNode> field(String name, String value) {
    return e -> value == null ? e.get(name).isNull() : value.equals(e.get(name).asText());
  }

  @Test
  void everyEventIsRecordedWithWhoWhenAndWhere() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    // Successful sign-ins first: five failures from one address throttle every sign-in from it for a minute.
    String[] boss = signIn("boss@acme.example", "boss password");
    String[] ann = signIn("ann@acme.example", "ann password");
    assertThat(admin.send("POST", "/api/session", "{\"token\":\"" + server.adminToken() + "\"}").statusCode())
        .isEqualTo(200);
    String secret = AdminHttp.parse(as(ann, "POST", "/api/2fa/setup", "{}").body()).get("secret").asText();
    assertThat(as(ann, "POST", "/api/2fa/verify", "{\"code\":\"" + Totp.codeAt(secret, System.currentTimeMillis())
        + "\"}").statusCode()).isEqualTo(200);
    // Failures: a wrong password, an unknown email, a wrong second factor, then the throttle.
    assertThat(login("boss@acme.example", "wrong password", null).statusCode()).isEqualTo(401);
    assertThat(admin.send("POST", "/api/session", "{\"token\":\"grok_wrong\"}").statusCode()).isEqualTo(401);
    assertThat(login("nobody@nowhere.example", "whatever pw", null).statusCode()).isEqualTo(401);
    assertThat(login("ann@acme.example", "ann password", "abcde-fghjk").statusCode()).isEqualTo(401);
    assertThat(login("ann@acme.example", "bad password", null).statusCode()).isEqualTo(401);
    assertThat(login("ann@acme.example", "bad password", null).statusCode()).isEqualTo(401);
    assertThat(login("ann@acme.example", "ann password", null).statusCode()).isEqualTo(429);
    assertThat(as(ann, "POST", "/api/2fa/disable", "{\"password\":\"not ann's password\"}").statusCode())
        .isEqualTo(403);
    assertThat(as(ann, "POST", "/api/2fa/disable", "{\"password\":\"ann password\"}").statusCode()).isEqualTo(200);
    // Tokens, a tunnel stop, users and orgs.
    JsonNode token = AdminHttp.parse(as(ann, "POST", "/api/tokens", "{\"name\":\"ann-laptop\"}").body());
    String tokenId = token.get("id").asText();
    try (LocalHttpOrigin origin = LocalHttpOrigin.start();
        TestClient client = TestClient.ready(server, token.get("token").asText(), null,
            String.valueOf(origin.port()))) {
      String tunnel = client.publicUrl().replaceFirst("^http://", "").split("\\.", 2)[0];
      assertThat(as(boss, "DELETE", "/api/tunnels/" + tunnel, null).statusCode()).isEqualTo(200);
      assertThat(client.awaitTerminated(WAIT)).isEqualTo(5);
    }
    assertThat(as(ann, "DELETE", "/api/tokens/" + tokenId, null).statusCode()).isEqualTo(200);
    assertThat(as(boss, "POST", "/api/users", "{\"email\":\"bob@acme.example\"}").statusCode()).isEqualTo(201);
    assertThat(as(boss, "POST", "/api/users/bob@acme.example/disable", null).statusCode()).isEqualTo(200);
    assertThat(as(boss, "POST", "/api/users/bob@acme.example/enable", null).statusCode()).isEqualTo(200);
    assertThat(asSuperAdmin("POST", "/api/orgs", "{\"slug\":\"globex\"}").statusCode()).isEqualTo(201);
    assertThat(asSuperAdmin("POST", "/api/orgs/globex/disable", null).statusCode()).isEqualTo(200);
    assertThat(as(ann, "POST", "/api/auth/logout", "{}").statusCode()).isEqualTo(200);
    Instant after = Instant.now().plusSeconds(1);

    List<JsonNode> log = entries(asSuperAdmin("GET", "/api/audit?limit=200", null));

    Predicate<JsonNode> ann2 = field("actor", "ann@acme.example");
    only(log, "sign_in", field("target", "boss@acme.example").and(field("actor", "boss@acme.example")));
    only(log, "sign_in", field("target", "ann@acme.example"));
    only(log, "sign_in.token", field("actor", "admin"));
    only(log, "2fa.enable", ann2);
    only(log, "2fa.disable", ann2);
    only(log, "2fa.disable.failed", ann2.and(field("detail", "wrong password")));
    JsonNode wrongPassword = only(log, "sign_in.failed", field("target", "boss@acme.example"));
    assertThat(wrongPassword.get("detail").asText()).isEqualTo("wrong password");
    assertThat(only(log, "sign_in.failed", field("target", "nobody@nowhere.example")).get("org").isNull())
        .as("an unknown email concerns no org").isTrue();
    only(log, "sign_in.failed", field("target", "ann@acme.example").and(field("detail", "wrong 2FA code")));
    only(log, "sign_in.failed", field("actor", null).and(field("detail", "admin token: invalid token: unknown or"
        + " revoked")));
    assertThat(log.stream().filter(field("action", "sign_in.failed").and(field("detail", "wrong password"))
        .and(field("target", "ann@acme.example")))).hasSize(2);
    only(log, "sign_in.throttled", field("target", "ann@acme.example"));
    only(log, "token.create", field("target", tokenId).and(ann2));
    only(log, "token.revoke", field("target", tokenId).and(ann2));
    only(log, "tunnel.stop", field("actor", "boss@acme.example"));
    only(log, "user.create", field("target", "bob@acme.example").and(field("actor", "boss@acme.example")));
    only(log, "user.disable", field("target", "bob@acme.example"));
    only(log, "user.enable", field("target", "bob@acme.example"));
    only(log, "org.create", field("target", "globex").and(field("actor", "admin")).and(field("org", "globex")));
    only(log, "org.disable", field("target", "globex"));
    only(log, "sign_out", ann2);
    for (JsonNode e : log) {
      assertThat(e.get("address").asText()).as("from where: " + e).isEqualTo("127.0.0.1");
      assertThat(Instant.parse(e.get("at").asText())).as("when: " + e).isBetween(before, after);
      if (!e.get("target").asText().equals("nobody@nowhere.example") && !e.get("target").asText().equals("globex")
          && !e.get("action").asText().equals("sign_in.token") && !e.get("target").isNull()) {
        assertThat(e.get("org").asText()).as("concerns acme: " + e).isEqualTo("acme");
      }
    }
    Set<String> orgAdminSees = new HashSet<>();
    for (JsonNode e : entries(as(boss, "GET", "/api/audit?limit=200", null))) {
      assertThat(e.get("org").asText()).as(e.toString()).isEqualTo("acme");
      orgAdminSees.add(e.get("id").asText());
    }
    assertThat(orgAdminSees).as("every acme entry, the failed and throttled sign-ins of its members too")
        .isEqualTo(new HashSet<>(log.stream().filter(field("org", "acme")).map(e -> e.get("id").asText())
            .toList()));
  }

  @Test
  void pagesWalkTheWholeLogNewestFirstWithoutRepeats() {
    for (int i = 0; i < 11; i++) {
      assertThat(asSuperAdmin("POST", "/api/users", "{\"email\":\"u" + i + "@acme.example\",\"org\":\"acme\"}")
          .statusCode()).isEqualTo(201);
    }
    List<JsonNode> all = entries(asSuperAdmin("GET", "/api/audit", null));
    assertThat(all).hasSize(11);
    assertThat(AdminHttp.parse(asSuperAdmin("GET", "/api/audit", null).body()).get("next_before").isNull()).isTrue();

    List<String> walked = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      JsonNode page = AdminHttp.parse(asSuperAdmin("GET", "/api/audit?limit=4"
          + (next == null ? "" : "&before=" + next), null).body());
      assertThat(page.get("entries").size()).isBetween(1, 4);
      page.get("entries").forEach(e -> walked.add(e.get("id").asText()));
      next = page.get("next_before").isNull() ? null : page.get("next_before").asText();
      pages++;
    } while (next != null);

    assertThat(pages).isEqualTo(3);
    assertThat(walked).isEqualTo(all.stream().map(e -> e.get("id").asText()).toList());
    assertThat(all.stream().map(e -> e.get("target").asText()).toList()).as("newest first")
        .startsWith("u10@acme.example", "u9@acme.example").endsWith("u0@acme.example");
  }

  @Test
  void aBadCursorOrLimitIsA400SayingWhatWasExpected() {
    for (String query : List.of("limit=0", "limit=abc", "limit=-3", "before=x'%20OR%201=1", "before=")) {
      HttpResponse<String> r = asSuperAdmin("GET", "/api/audit?" + query, null);
      assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).contains("expected");
    }
    assertThat(asSuperAdmin("GET", "/api/audit?limit=100000", null).statusCode()).as("capped, not refused")
        .isEqualTo(200);
  }
}
