package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.ServerConfig;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.server.requestlog.RequestLogConfig;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request log in the database through a real tunnel: exchanges made through the edge show up at
 * {@code GET /api/tunnels/NAME/requests} with their fields, paged and filtered, in the scope of the tunnel's owner
 * (another org's user gets 404), and still after the tunnel went offline; with {@code --request-log-retention 0}
 * nothing is written.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class RequestLogApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String OWNER = "ann@acme.example";
  private static final String ORG_ADMIN = "adam@acme.example";
  private static final String OTHER_ORG = "gus@globex.example";
  private static final String PASSWORD = "a long password";

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static AdminHttp admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    admin = new AdminHttp(server);
    Accounts accounts = Accounts.of(server.server().tokens());
    accounts.users().createOrg("acme", null);
    accounts.users().createOrg("globex", null);
    accounts.users().createUser(OWNER, null, Role.ORG_USER, "acme", PASSWORD);
    accounts.users().createUser(ORG_ADMIN, null, Role.ORG_ADMIN, "acme", PASSWORD);
    accounts.users().createUser(OTHER_ORG, null, Role.ORG_USER, "globex", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
    origin.close();
  }

  @Test
  void exchangesThroughTheEdgeAreListedWithTheirFieldsPagedFilteredScopedAndAfterTheTunnelEnds() throws Exception {
    String name;
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    try (TestClient client = TestClient.ready(server, server.createToken("ann-laptop", OWNER).token(), "logged",
        String.valueOf(origin.port()))) {
      name = client.publicUrl().replaceFirst("^http://", "").split("\\.", 2)[0];
      assertThat(name).isEqualTo("logged-acme");
      assertThat(RawHttp.exchange(server.httpPort(), RawRequest.of("POST", "/echo/a?x=1").host(server.host(name))
          .body("hello")).status()).isEqualTo(200);
      assertThat(RawHttp.exchange(server.httpPort(), RawRequest.get("/status/404").host(server.host(name)))
          .status()).isEqualTo(404);
      assertThat(RawHttp.exchange(server.httpPort(), RawRequest.get("/bytes/100").host(server.host(name)))
          .status()).isEqualTo(200);

      JsonNode rows = await().atMost(WAIT).until(() -> page(name, "").get("requests"), r -> r.size() == 3);
      Instant after = Instant.now();
      assertThat(paths(rows)).containsExactly("/bytes/100", "/status/404", "/echo/a?x=1");
      JsonNode echo = rows.get(2);
      assertThat(echo.get("tunnel").asText()).isEqualTo(name);
      assertThat(echo.get("method").asText()).isEqualTo("POST");
      assertThat(echo.get("status").asInt()).isEqualTo(200);
      assertThat(echo.get("bytes_in").asLong()).isEqualTo(5);
      assertThat(echo.get("bytes_out").asLong()).isEqualTo(5);
      assertThat(echo.get("remote_addr").asText()).isEqualTo("127.0.0.1");
      assertThat(echo.get("error").isNull()).isTrue();
      assertThat(echo.get("duration_ms").asDouble()).isPositive();
      assertThat(Instant.parse(echo.get("at").asText())).isBetween(before, after);
      assertThat(rows.get(0).get("bytes_out").asLong()).isEqualTo(100);
      assertThat(rows.get(1).get("status").asInt()).isEqualTo(404);
      assertThat(rows.get(0).get("id").asLong()).isGreaterThan(rows.get(1).get("id").asLong());

      JsonNode first = page(name, "?limit=2");
      assertThat(paths(first.get("requests"))).containsExactly("/bytes/100", "/status/404");
      assertThat(first.get("next_before").asLong()).isEqualTo(rows.get(1).get("id").asLong());
      JsonNode second = page(name, "?limit=2&before=" + first.get("next_before").asLong());
      assertThat(paths(second.get("requests"))).containsExactly("/echo/a?x=1");
      assertThat(second.get("next_before").isNull()).isTrue();
      assertThat(paths(page(name, "?status=4xx").get("requests"))).containsExactly("/status/404");
      assertThat(paths(page(name, "?method=post").get("requests"))).containsExactly("/echo/a?x=1");
      assertThat(paths(page(name, "?q=BYTES&status=200").get("requests"))).containsExactly("/bytes/100");
      HttpResponse<String> bad = admin.bearer("GET", "/api/tunnels/" + name + "/requests?status=teapot", null,
          server.adminToken());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("status: 'teapot' (expected: a status such as 404 or a class such as 5xx)");

      assertScoped(name);
    }
    await().atMost(WAIT).until(() -> server.server().registry().lookup(name) == null);
    assertThat(paths(page(name, "").get("requests"))).hasSize(3); // offline now, still listed
    assertScoped(name);
  }

  /** The owner and their org admin see the three rows; another org's user gets 404 as for a missing tunnel. */
  private static void assertScoped(String name) {
    String path = "/api/tunnels/" + name + "/requests";
    for (String email : List.of(OWNER, ORG_ADMIN)) {
      HttpResponse<String> r = as(email, "GET", path);
      assertThat(r.statusCode()).as(email + ": " + r.body()).isEqualTo(200);
      assertThat(AdminHttp.parse(r.body()).get("requests").size()).as(email).isEqualTo(3);
    }
    HttpResponse<String> outside = as(OTHER_ORG, "GET", path);
    assertThat(outside.statusCode()).as(outside.body()).isEqualTo(404);
    HttpResponse<String> missing = as(OTHER_ORG, "GET", "/api/tunnels/no-such-tunnel/requests");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(outside.body()).isEqualTo(missing.body().replace("no-such-tunnel", name));
    assertThat(as(OTHER_ORG, "GET", path + "?status=2xx").statusCode()).isEqualTo(404);
  }

  @Test
  void retentionZeroWritesNothingToTheDatabase(@TempDir Path offDir) throws Exception {
    ServerConfig config = ServerConfig.forTests(offDir).withRequestLog(new RequestLogConfig(0, Duration.ofDays(7)));
    TestServer off = TestServer.start(config);
    try (TestClient client = TestClient.ready(off, off.adminToken(), "unlogged", String.valueOf(origin.port()))) {
      for (int i = 0; i < 3; i++) {
        assertThat(RawHttp.exchange(off.httpPort(), RawRequest.get("/x?n=" + i).host(off.host("unlogged")))
            .status()).isEqualTo(200);
      }
      AdminHttp offAdmin = new AdminHttp(off);
      await().atMost(WAIT).until(() -> offAdmin.call("GET", "/api/tunnels", null, off.adminToken(), 200)
          .get("tunnels").get(0).get("requests").asLong() == 3); // the exchanges ended: nothing was queued
      JsonNode live = offAdmin.call("GET", "/api/tunnels/unlogged/requests", null, off.adminToken(), 200);
      assertThat(live.get("requests").size()).isZero();
    } finally {
      off.close(); // a running writer would write what it holds now
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + offDir.resolve("grok.db"));
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM request_log")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
    }
    assertThat(off.server().metrics().requestLog().written()).isZero();
    assertThat(off.server().metrics().requestLog().dropped()).isZero();
  }

  private static JsonNode page(String name, String query) {
    return admin.call("GET", "/api/tunnels/" + name + "/requests" + query, null, server.adminToken(), 200);
  }

  private static List<String> paths(JsonNode rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.get("path").asText()));
    return out;
  }

  private static HttpResponse<String> as(String email, String method, String path) {
    HttpResponse<String> login = admin.send("POST", "/api/auth/login",
        AdminHttp.json(Map.of("email", email, "password", PASSWORD)));
    assertThat(login.statusCode()).as(email + ": " + login.body()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    return admin.send(method, path, null, "Cookie", cookie);
  }
}
