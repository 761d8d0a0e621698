package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.Totp;
import dev.grok.testing.leak.LeakDetection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Email and password sign-in over the REST API as the contract has it: the session cookie and its flags, one 401
 * message for every wrong credential, the 429 throttle, {@code /api/me}, sign-out, TOTP set-up and sign-in with a
 * code, and the security headers on every answer of the admin port.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class SignInApiTest {
  // A server per test: the throttle counts failures per client address, and every test calls from 127.0.0.1.
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
    accounts.users().createOrg("acme", "Acme");
    accounts.users().createUser("alice@acme.example", "Alice", Role.ORG_USER, "acme", "alice password");
    accounts.users().createUser("off@acme.example", null, Role.ORG_USER, "acme", "off password");
    accounts.users().disableUser("off@acme.example");
    accounts.users().createUser("totp@acme.example", null, Role.ORG_USER, "acme", "totp password");
    accounts.users().createUser("throttled@acme.example", null, Role.ORG_USER, "acme", "right password");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> login(String email, String password, String code) {
    String body = AdminHttp.json(code == null ? Map.of("email", email, "password", password)
        : Map.of("email", email, "password", password, "otp_code", code));
    return admin.send("POST", "/api/auth/login", body);
  }

  private static String cookieOf(HttpResponse<String> r) {
    return r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  @Test
  void signInOpensAnHttpOnlyStrictSessionAndMeAnswersTheSameBody() {
    HttpResponse<String> in = login("Alice@Acme.example", "alice password", null);

    assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
    String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("grok_session=").contains("HttpOnly", "SameSite=Strict", "Path=/")
        .doesNotContain("Secure"); // plain HTTP here; Secure is added under TLS
    JsonNode body = AdminHttp.parse(in.body());
    assertThat(body.at("/user/email").asText()).isEqualTo("alice@acme.example");
    assertThat(body.at("/user/role").asText()).isEqualTo("org_user");
    assertThat(body.at("/user/org").asText()).isEqualTo("acme");
    String csrf = body.get("csrf_token").asText();
    assertThat(csrf).isNotBlank();

    String cookie = cookieOf(in);
    JsonNode me = AdminHttp.parse(admin.send("GET", "/api/me", null, "Cookie", cookie).body());
    assertThat(me.at("/user/email").asText()).isEqualTo("alice@acme.example");
    assertThat(me.get("csrf_token").asText()).isEqualTo(csrf);

    assertThat(admin.send("POST", "/api/auth/logout", null, "Cookie", cookie).statusCode())
        .as("sign-out without the CSRF header").isEqualTo(403);
    HttpResponse<String> out = admin.send("POST", "/api/auth/logout", null, "Cookie", cookie, "X-CSRF-Token", csrf);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(admin.send("GET", "/api/me", null, "Cookie", cookie).statusCode()).isEqualTo(401);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nobody@acme.example|alice password", "alice@acme.example|wrong password",
      "off@acme.example|off password"})
  void unknownEmailWrongPasswordAndDisabledUserGetTheSame401(String pair) {
    String[] p = pair.split("\\|");
    HttpResponse<String> r = login(p[0], p[1], null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(AdminHttp.parse(r.body()).get("error").asText()).isEqualTo("wrong email, password or code");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void fiveFailuresInAMinuteThrottleTheEmailEvenWithTheRightPassword() {
    for (int i = 0; i < 5; i++) {
      assertThat(login("throttled@acme.example", "wrong " + i, null).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> sixth = login("throttled@acme.example", "right password", null);
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
        assertThat(Integer.parseInt(v)).isBetween(1, 60));
    assertThat(AdminHttp.parse(sixth.body()).get("error").asText()).contains("too many failed sign-ins");
    // The address is throttled too: another account from the same address waits as well.
    assertThat(login("alice@acme.example", "alice password", null).statusCode()).isEqualTo(429);
  }

  @Test
  void everyAnswerOfTheAdminPortCarriesTheSecurityHeaders() {
    for (String path : List.of("/", "/api/openapi.json", "/api/me", "/api/nothing", "/health", "/metrics")) {
      HttpResponse<String> r = admin.send("GET", path, null);
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
          .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'", "frame-ancestors 'none'"));
      assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
    }
  }

  @Test
  void twoFactorSetupVerifyAndSignInWithACode() {
    HttpResponse<String> in = login("totp@acme.example", "totp password", null);
    String cookie = cookieOf(in);
    String csrf = AdminHttp.parse(in.body()).get("csrf_token").asText();
    assertThat(admin.send("POST", "/api/2fa/setup", "{}", "Cookie", cookie).statusCode()).as("no CSRF header")
        .isEqualTo(403);
    JsonNode setup = AdminHttp.parse(admin.send("POST", "/api/2fa/setup", "{}", "Cookie", cookie,
        "X-CSRF-Token", csrf).body());
    String secret = setup.get("secret").asText();
    assertThat(setup.get("otpauth_url").asText()).startsWith("otpauth://totp/grok:totp%40acme.example?secret="
        + secret);
    assertThat(setup.get("qr_svg").asText()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .endsWith("</svg>");

    HttpResponse<String> wrong = admin.send("POST", "/api/2fa/verify", "{\"code\":\"000000\"}", "Cookie", cookie,
        "X-CSRF-Token", csrf);
    assertThat(wrong.statusCode()).isEqualTo(400);
    long now = System.currentTimeMillis();
    JsonNode verified = AdminHttp.parse(admin.send("POST", "/api/2fa/verify",
        "{\"code\":\"" + Totp.codeAt(secret, now) + "\"}", "Cookie", cookie, "X-CSRF-Token", csrf).body());
    assertThat(verified.get("enabled").asBoolean()).isTrue();
    assertThat(verified.get("recovery_codes")).hasSize(10);

    HttpResponse<String> needsCode = login("totp@acme.example", "totp password", null);
    assertThat(needsCode.statusCode()).isEqualTo(200);
    assertThat(AdminHttp.parse(needsCode.body()).get("requires_2fa").asBoolean()).isTrue();
    assertThat(needsCode.headers().firstValue("Set-Cookie")).isEmpty();
    // The set-up used this step's code; the next step's code is within the allowed skew.
    String next = Totp.codeAt(secret, now + Totp.STEP_SECONDS * 1000);
    HttpResponse<String> withCode = login("totp@acme.example", "totp password", next);
    assertThat(withCode.statusCode()).as(withCode.body()).isEqualTo(200);
    assertThat(AdminHttp.parse(withCode.body()).at("/user/totp_enabled").asBoolean()).isTrue();
    assertThat(login("totp@acme.example", "totp password", next).statusCode()).as("a code is usable once")
        .isEqualTo(401);
    HttpResponse<String> recovery = login("totp@acme.example", "totp password",
        verified.get("recovery_codes").get(0).asText());
    assertThat(recovery.statusCode()).as("a recovery code stands in for a code").isEqualTo(200);

    String cookie2 = cookieOf(withCode);
    String csrf2 = AdminHttp.parse(withCode.body()).get("csrf_token").asText();
    assertThat(admin.send("POST", "/api/2fa/disable", "{\"password\":\"nope nope\"}", "Cookie", cookie2,
        "X-CSRF-Token", csrf2).statusCode()).isEqualTo(403);
    assertThat(admin.send("POST", "/api/2fa/disable", "{\"password\":\"totp password\"}", "Cookie", cookie2,
        "X-CSRF-Token", csrf2).statusCode()).isEqualTo(200);
    assertThat(login("totp@acme.example", "totp password", null).headers().firstValue("Set-Cookie")).isPresent();
  }
}
