package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.Totp;
import dev.grok.testing.browser.HeadlessChrome;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The dashboard of users with accounts, in a real (headless) browser: sign in with email and password, turn on 2FA
 * with a code computed here from the secret the page shows, sign in again with a code; an org user sees only their
 * own tunnels and their request log; an org admin stops a member's tunnel and the member's client stops. Tunnels
 * run through real clients. With {@code -Dgrok.screenshots=docs/screenshots} it saves {@code signin.png},
 * {@code dashboard-user.png} and {@code dashboard-org-admin.png}.
 */
@Timeout(180)
class AccountsBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ORG = "acme";
  private static final String PASSWORD = "correct horse battery";

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static Accounts accounts;
  static HeadlessChrome chrome;
  static DashboardPage page;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    accounts = Accounts.of(server.server().tokens());
    accounts.users().createOrg(ORG, "Acme Corp");
    accounts.users().createUser("ann@acme.example", "Ann", Role.ORG_ADMIN, ORG, PASSWORD);
    accounts.users().createUser("bob@acme.example", "Bob", Role.ORG_USER, ORG, PASSWORD);
    accounts.users().createUser("carol@acme.example", "Carol", Role.ORG_USER, ORG, PASSWORD);
    accounts.users().createUser("dora@acme.example", "Dora", Role.ORG_USER, ORG, PASSWORD);
    chrome = HeadlessChrome.start();
    page = new DashboardPage(chrome);
  }

  @AfterAll
  static void stop() {
    if (chrome != null) {
      chrome.close();
    }
    server.close();
    origin.close();
  }

  /** Every test starts on the sign-in page. */
  @BeforeEach
  void signedOut() {
    page.openSignedOut(server);
  }

  private static TestClient tunnelOf(String email, String subdomain) {
    var token = server.createToken("tok-" + subdomain, email);
    return TestClient.ready(server, token.token(), subdomain, String.valueOf(origin.port()));
  }

  private static String nameOf(TestClient c) {
    return c.publicUrl().replaceFirst("^https?://", "").split("\\.", 2)[0];
  }

  private static void visit(String tunnel, RawRequest r, int status) throws Exception {
    assertThat(RawHttp.exchange(server.httpPort(), r.host(server.host(tunnel))).status()).isEqualTo(status);
  }

  @Test
  void signInWithPasswordTurnOn2faWithACodeAndSignInAgainWithTheNextCode() {
    page.submitSignIn("dora@acme.example", "wrong password");
    page.awaitText("#signin-error", "wrong email, password or code");

    page.signIn("dora@acme.example", PASSWORD, "Dora");
    assertThat(chrome.text("#role")).isEqualTo("org user");
    page.view("account");
    page.awaitText("#tfa-status", "Off");
    page.click("#tfa-start");
    page.visible("#tfa-setup");
    chrome.waiting().until(d -> chrome.one("#tfa-qr").getAttribute("src").startsWith("data:image/svg+xml;base64,"));
    chrome.waiting().until(d -> Boolean.TRUE.equals(((JavascriptExecutor) chrome.driver()).executeScript(
        "const i = document.getElementById('tfa-qr'); return i.complete && i.naturalWidth > 0;")));
    chrome.screenshot("2fa-setup.png", 1280, 720);
    String secret = chrome.text("#tfa-secret").strip();
    assertThat(secret).matches("[A-Z2-7]{32}");
    page.type("#tfa-code", Totp.codeAt(secret, System.currentTimeMillis()));
    page.click("#tfa-verify");
    page.visible("#tfa-recovery");
    assertThat(chrome.text("#tfa-codes").strip().split("\n")).hasSize(10)
        .allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
    page.click("#tfa-codes-done");
    chrome.waiting().until(d -> "true".equals(chrome.one("#tfa-status").getAttribute("data-enabled")));
    assertThat(chrome.text("#tfa-codes")).isEmpty();

    page.signOut();
    page.submitSignIn("dora@acme.example", PASSWORD);
    page.visible("#otp-code");
    assertThat(chrome.one("#dashboard").isDisplayed()).isFalse();
    chrome.screenshot("signin.png", 1280, 720);
    page.type("#otp-code", "12345x");
    page.click("#login-button");
    page.awaitText("#signin-error", "wrong email, password or code");
    // The code of the next step: the skew accepts it, and it is later than the one that turned 2FA on.
    page.type("#otp-code", Totp.codeAt(secret, System.currentTimeMillis() + Totp.STEP_SECONDS * 1000));
    page.click("#login-button");
    page.visible("#dashboard");
    assertThat(chrome.text("#user")).isEqualTo("Dora");
    assertThat(chrome.one("#signin").isDisplayed()).isFalse();
  }

  @Test
  void anOrgUserSeesOnlyTheirOwnTunnelsAndTheirRequestLog() throws Exception {
    try (TestClient bob = tunnelOf("bob@acme.example", "bobapp");
        TestClient carol = tunnelOf("carol@acme.example", "carolapp")) {
      String bobs = nameOf(bob);
      String carols = nameOf(carol);
      assertThat(bobs).isEqualTo("bobapp-" + ORG);
      visit(bobs, RawRequest.get("/echo/health"), 200);
      visit(bobs, RawRequest.of("POST", "/echo/orders?id=42").body("{\"item\":\"coffee\"}"), 200);
      visit(bobs, RawRequest.get("/status/404"), 404);

      page.signIn("bob@acme.example", PASSWORD, "Bob");
      page.awaitText("#tunnels-title", "My tunnels");
      page.visible("#tunnels tr[data-tunnel='" + bobs + "']");
      assertThat(chrome.all("#tunnels tbody tr")).hasSize(1);
      assertThat(chrome.text("#tunnels")).doesNotContain(carols);
      for (String adminOnly : new String[] {"users", "orgs", "audit"}) {
        assertThat(chrome.one("#nav a[data-view='" + adminOnly + "']").isDisplayed()).as(adminOnly).isFalse();
      }
      assertThat(chrome.one("#server-stats").isDisplayed()).isFalse();

      page.click("#tunnels tr[data-tunnel='" + bobs + "'] button.show-requests");
      page.awaitText("#requests", "/echo/orders?id=42");
      page.awaitText("#requests", "/echo/health");
      page.awaitText("#requests", "/status/404");
      chrome.screenshot("dashboard-user.png", 1280, 900);

      // Another user's tunnel, typed by hand: the same answer as a tunnel that does not exist.
      page.type("#requests-tunnel", carols);
      page.click("#requests-show");
      page.awaitText("#requests-error", "no tunnel of that name in your scope");
      assertThat(chrome.all("#requests tbody tr")).isEmpty();
    }
  }

  @Test
  void anOrgAdminStopsAMembersTunnelAndTheMembersClientStops() {
    try (TestClient bob = tunnelOf("bob@acme.example", "bobstays");
        TestClient carol = tunnelOf("carol@acme.example", "carolstops")) {
      String bobs = nameOf(bob);
      String carols = nameOf(carol);

      page.signIn("ann@acme.example", PASSWORD, "Ann");
      assertThat(chrome.text("#role")).isEqualTo("org admin");
      page.awaitText("#tunnels-title", "Tunnels of " + ORG);
      page.visible("#tunnels tr[data-tunnel='" + bobs + "']");
      page.visible("#tunnels tr[data-tunnel='" + carols + "']");
      assertThat(chrome.text("#tunnels tr[data-tunnel='" + carols + "']")).contains("carol@acme.example");

      page.click("#tunnels tr[data-tunnel='" + carols + "'] button.disconnect");
      assertThat(carol.awaitTerminated(WAIT)).as("exit status of the stopped client").isEqualTo(5);
      page.invisible("#tunnels tr[data-tunnel='" + carols + "']");
      assertThat(chrome.text("#tunnels")).contains(bobs);
      assertThat(bob.client().terminated()).as("the other member's client").isNotDone();
    }
  }

  @Test
  void anOrgUserCreatesATokenShownOnceAndRevokesIt() {
    page.signIn("carol@acme.example", PASSWORD, "Carol");
    page.view("tokens");
    assertThat(chrome.one("#token-user").isDisplayed()).as("an org user makes tokens for themself only").isFalse();
    page.type("#token-name", "carol-laptop");
    page.click("#token-create");
    page.visible("#created-token");
    String token = chrome.text("#created-token").strip();
    assertThat(token).startsWith("grok_");
    assertThat(chrome.text("#created-user")).isEqualTo("carol@acme.example");
    page.click("#created-copy");
    chrome.waiting().until(d -> !chrome.text("#created-copied").isEmpty());
    page.visible("#tokens tr[data-token='carol-laptop']");

    page.view("tunnels");
    page.view("tokens");
    assertThat(chrome.one("#created").isDisplayed()).as("the token is shown only once").isFalse();
    assertThat(chrome.text("#created-token")).isEmpty();
    page.awaitText("#tokens tr[data-token='carol-laptop']", "active");

    page.click("#tokens tr[data-token='carol-laptop'] button.revoke");
    page.awaitText("#tokens tr[data-token='carol-laptop']", "revoked");
    try (TestClient refused = TestClient.start(server, token, "carolrevoked", String.valueOf(origin.port()))) {
      var fatal = refused.awaitFatal(WAIT);
      assertThat(fatal.exitCode()).as(fatal.toString()).isEqualTo(3);
      assertThat(fatal.message()).contains("invalid token");
    }
  }

  @Test
  void tooManyFailedSignInsShowTheWaitAndDisableTheButton(@TempDir Path otherDir) {
    // A server of its own: the throttle counts failures per address too, and every test calls from 127.0.0.1.
    try (TestServer own = TestServer.start(otherDir)) {
      AdminHttp http = new AdminHttp(own);
      for (int i = 0; i < 5; i++) {
        assertThat(http.send("POST", "/api/auth/login", AdminHttp.json(Map.of("email", "eve@acme.example",
            "password", "guess " + i))).statusCode()).isEqualTo(401);
      }
      page.openSignedOut(own);
      page.submitSignIn("eve@acme.example", "one more guess");
      page.awaitText("#signin-error", "Too many failed sign-ins. Try again in");
      assertThat(chrome.text("#signin-error")).matches("(?s).*Try again in [1-6]?[0-9] s\\..*");
      assertThat(chrome.one("#login-button").isEnabled()).isFalse();
    }
  }
}
