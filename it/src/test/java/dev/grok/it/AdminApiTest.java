package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin REST API without a browser, as curl uses it: every operation with its auth failures (401 without or
 * with a bad token, 403 for a token of a user who is not an admin, 403 for a cookie session without its CSRF
 * header), tokens, tunnels, the request log and the stop that makes a client exit.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class AdminApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().build();
  static AdminHttp admin;
  static String adminToken;
  static String userToken;

  @BeforeAll
  static void start() {
    admin = new AdminHttp(tunnel.server());
    adminToken = tunnel.server().adminToken();
    userToken = tunnel.server().createToken("bob-laptop", "bob").token();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /api/session", "DELETE, /api/session", "GET, /api/tunnels", "DELETE, /api/tunnels/demo",
      "GET, /api/tunnels/demo/requests", "GET, /api/stats", "GET, /api/users", "GET, /api/tokens",
      "POST, /api/tokens", "DELETE, /api/tokens/tok_x"})
  void everyOperationNeedsAnAdmin(String method, String path) {
    String body = method.equals("POST") ? "{\"name\":\"nope\"}" : null;
    HttpResponse<String> none = admin.send(method, path, body);
    assertThat(none.statusCode()).as("without credentials").isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("Bearer"));
    HttpResponse<String> bad = admin.bearer(method, path, body, "grok_not-a-real-token");
    assertThat(bad.statusCode()).as("bad token").isEqualTo(401);
    assertThat(AdminHttp.parse(bad.body()).get("error").asText()).contains("invalid token");
    HttpResponse<String> basic = admin.send(method, path, body, "Authorization", "Basic YWRtaW46YWRtaW4=");
    assertThat(basic.statusCode()).as("another scheme").isEqualTo(401);
    HttpResponse<String> notAdmin = admin.bearer(method, path, body, userToken);
    assertThat(notAdmin.statusCode()).as("a token of user bob").isEqualTo(403);
    assertThat(AdminHttp.parse(notAdmin.body()).get("error").asText()).contains("not an administrator");
  }

  @Test
  void openOperationsAreMarkedOpenInTheOpenApiDocument() {
    HttpResponse<String> health = admin.send("GET", "/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body().strip()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(admin.send("GET", "/metrics", null).statusCode()).isEqualTo(200);
    HttpResponse<String> doc = admin.send("GET", "/api/openapi.json", null);
    assertThat(doc.statusCode()).isEqualTo(200);
    JsonNode api = AdminHttp.parse(doc.body());
    assertThat(api.get("openapi").asText()).startsWith("3.");
    List<String> open = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        JsonNode security = op.getValue().get("security");
        if (security != null && security.isArray() && security.isEmpty()) {
          open.add(op.getKey().toUpperCase() + " " + p.getKey());
        }
      }
    }
    assertThat(open).containsExactlyInAnyOrder("GET /health", "GET /metrics", "GET /api/openapi.json",
        "POST /api/session", "POST /api/auth/login");
    assertThat(api.get("paths").get("/api/tunnels/{name}").has("delete")).isTrue();
  }

  @Test
  void signInOpensAnHttpOnlySameSiteSessionWhoseChangesNeedTheCsrfHeader() {
    assertThat(admin.send("POST", "/api/session", "{\"token\":\"grok_wrong\"}").statusCode()).isEqualTo(401);
    assertThat(admin.send("POST", "/api/session", "{\"token\":\"" + userToken + "\"}").statusCode())
        .isEqualTo(403);
    HttpResponse<String> form = admin.send("POST", "/api/session", null, "Content-Type",
        "application/x-www-form-urlencoded");
    assertThat(form.statusCode()).as("a form post (cross-site forms can send one)").isEqualTo(400);

    HttpResponse<String> in = admin.send("POST", "/api/session", "{\"token\":\"" + adminToken + "\"}");
    assertThat(in.statusCode()).isEqualTo(200);
    String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("grok_session=").contains("HttpOnly").contains("SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = AdminHttp.parse(in.body()).get("csrf_token").asText();
    assertThat(csrf).isNotBlank();

    JsonNode me = AdminHttp.parse(admin.send("GET", "/api/session", null, "Cookie", cookie).body());
    assertThat(me.at("/user/email").asText()).isEqualTo("admin");
    assertThat(me.at("/user/role").asText()).isEqualTo("super_admin");
    assertThat(me.get("csrf_token").asText()).isEqualTo(csrf);
    assertThat(admin.send("GET", "/api/tokens", null, "Cookie", cookie).statusCode()).isEqualTo(200);

    String create = "{\"name\":\"via-cookie\"}";
    HttpResponse<String> noCsrf = admin.send("POST", "/api/tokens", create, "Cookie", cookie);
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("X-CSRF-Token");
    assertThat(admin.send("POST", "/api/tokens", create, "Cookie", cookie, "X-CSRF-Token", csrf + "x")
        .statusCode()).isEqualTo(403);
    assertThat(admin.send("POST", "/api/tokens", create, "Cookie", cookie, "X-CSRF-Token", csrf).statusCode())
        .isEqualTo(201);

    assertThat(admin.send("DELETE", "/api/session", null, "Cookie", cookie).statusCode()).isEqualTo(403);
    HttpResponse<String> out = admin.send("DELETE", "/api/session", null, "Cookie", cookie, "X-CSRF-Token", csrf);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(admin.send("GET", "/api/session", null, "Cookie", cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void aCreatedTokenIsShownOnceWorksForAClientAndRevokingItEndsTheClient() throws Exception {
    JsonNode created = admin.call("POST", "/api/tokens", "{\"name\":\"carol-laptop\",\"user\":\"carol\"}",
        adminToken, 201);
    String token = created.get("token").asText();
    assertThat(created.get("user").asText()).isEqualTo("carol");
    assertThat(token).isNotBlank();

    HttpResponse<String> list = admin.bearer("GET", "/api/tokens", null, adminToken);
    assertThat(list.body()).contains("carol-laptop").doesNotContain(token);
    JsonNode users = admin.call("GET", "/api/users", null, adminToken, 200).get("users");
    assertThat(users.findValuesAsText("name")).contains("admin", "bob", "carol");

    try (TestClient client = TestClient.ready(tunnel.server(), token, "carol-app",
        String.valueOf(tunnel.origin().port()))) {
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host("carol-app"))).status())
          .isEqualTo(200);
      assertThat(admin.call("DELETE", "/api/tokens/carol-laptop", null, adminToken, 200).get("revoked").asText())
          .isEqualTo("carol-laptop");
      assertThat(client.awaitTerminated(WAIT)).isEqualTo(3);
    }
    assertThat(admin.bearer("GET", "/api/tokens", null, adminToken).body()).contains("revoked");
    assertThat(admin.bearer("DELETE", "/api/tokens/no-such-token", null, adminToken).statusCode()).isEqualTo(404);
  }

  @Test
  void badTokenRequestsSayWhatIsWrong() {
    HttpResponse<String> missing = admin.bearer("POST", "/api/tokens", "{}", adminToken);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("name: missing");
    HttpResponse<String> notJson = admin.bearer("POST", "/api/tokens", "{name", adminToken);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not valid JSON");
    admin.call("POST", "/api/tokens", "{\"name\":\"twice\"}", adminToken, 201);
    HttpResponse<String> again = admin.bearer("POST", "/api/tokens", "{\"name\":\"twice\"}", adminToken);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("already exists");
    assertThat(admin.bearer("GET", "/api/nothing-here", null, adminToken).statusCode()).isEqualTo(404);
  }

  @Test
  void liveTunnelsShowTheirTrafficAndRecentRequestsAndAStopEndsTheClient() throws Exception {
    try (TestClient client = TestClient.ready(tunnel.server(), adminToken, "api-demo",
        String.valueOf(tunnel.origin().port()))) {
      for (int i = 0; i < 3; i++) {
        assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.of("POST", "/echo/item?n=" + i)
            .host(tunnel.host("api-demo")).body("hello " + i)).status()).isEqualTo(200);
      }
      JsonNode listed = await().atMost(WAIT).until(() -> tunnel("api-demo"),
          t -> t != null && t.get("requests").asLong() == 3);
      assertThat(listed.get("user").asText()).isEqualTo("admin");
      assertThat(listed.get("kind").asText()).isEqualTo("http");
      assertThat(listed.get("public_url").asText()).isEqualTo(tunnel.server().publicUrl("api-demo"));
      assertThat(listed.get("bytes_in").asLong()).isEqualTo(3 * "hello 0".length());
      assertThat(listed.get("bytes_out").asLong()).isPositive();

      JsonNode requests = await().atMost(WAIT).until(
          () -> admin.call("GET", "/api/tunnels/api-demo/requests", null, adminToken, 200).get("requests"),
          r -> r.size() == 3);
      assertThat(requests.get(0).get("path").asText()).isEqualTo("/echo/item?n=2");
      assertThat(requests.get(0).get("method").asText()).isEqualTo("POST");
      assertThat(requests.get(0).get("status").asInt()).isEqualTo(200);
      assertThat(requests.get(2).get("path").asText()).isEqualTo("/echo/item?n=0");

      JsonNode stats = await().atMost(WAIT).until(() -> admin.call("GET", "/api/stats", null, adminToken, 200),
          s -> s.get("history").size() > 0);
      assertThat(stats.get("requests").asLong()).isGreaterThanOrEqualTo(3);
      assertThat(stats.get("tunnels").asInt()).isGreaterThanOrEqualTo(1);

      assertThat(admin.call("DELETE", "/api/tunnels/api-demo", null, adminToken, 200).get("stopped").asText())
          .isEqualTo("api-demo");
      assertThat(client.awaitTerminated(WAIT)).as("exit status of a stopped client").isEqualTo(5);
      assertThat(tunnel("api-demo")).isNull();
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host("api-demo"))).status())
          .isEqualTo(404);
      assertThat(admin.bearer("DELETE", "/api/tunnels/api-demo", null, adminToken).statusCode()).isEqualTo(404);
      // the request log is in the database: an ended tunnel's requests are still listed
      assertThat(admin.call("GET", "/api/tunnels/api-demo/requests", null, adminToken, 200).get("requests").size())
          .isEqualTo(3);
    }
  }

  private static JsonNode tunnel(String name) {
    for (JsonNode t : admin.call("GET", "/api/tunnels", null, adminToken, 200).get("tunnels")) {
      if (t.get("name").asText().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
