package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.testing.browser.HeadlessChrome;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard's admin pages and request log in a real (headless) browser: an org admin creates, disables and
 * enables a member and reads their org's audit log; the super admin creates and disables an organization; a
 * tunnel's request log is filtered by method, status and path and paged back. With {@code
 * -Dgrok.screenshots=docs/screenshots} it saves {@code dashboard-org-admin.png}.
 */
@Timeout(180)
class AdminPagesBrowserTest {
  private static final String ORG = "initech";
  private static final String PASSWORD = "correct horse battery";
  /** The dashboard's page of the request log and the audit log. */
  private static final int PAGE = 50;

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static HeadlessChrome chrome;
  static DashboardPage page;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    Accounts accounts = Accounts.of(server.server().tokens());
    accounts.users().createOrg(ORG, "Initech");
    accounts.users().createUser("peter@initech.example", "Peter", Role.ORG_ADMIN, ORG, PASSWORD);
    accounts.users().createUser("milton@initech.example", "Milton", Role.ORG_USER, ORG, PASSWORD);
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

  @BeforeEach
  void signedOut() {
    page.openSignedOut(server);
  }

  @Test
  void anOrgAdminCreatesDisablesAndEnablesAMemberAndReadsTheOrgsAuditLog() {
    page.signIn("peter@initech.example", PASSWORD, "Peter");
    assertThat(page.displayed("#nav a[data-view='orgs']")).as("organizations are the super admin's").isFalse();
    page.view("users");
    page.visible("#users tr[data-user='milton@initech.example']");
    assertThat(page.displayed("#new-org")).as("an org admin creates users in their own org").isFalse();

    page.type("#new-email", "samir@initech.example");
    page.type("#new-name", "Samir");
    page.type("#new-password", PASSWORD);
    page.click("#user-create");
    page.visible("#users tr[data-user='samir@initech.example']");
    assertThat(page.text("#users tr[data-user='samir@initech.example']")).contains("org user", ORG, "active");
    assertThat(page.text("#new-email")).isEmpty();

    page.click("#users tr[data-user='samir@initech.example'] button.disable");
    page.awaitText("#users tr[data-user='samir@initech.example']", "disabled");
    page.click("#users tr[data-user='samir@initech.example'] button.enable");
    page.awaitText("#users tr[data-user='samir@initech.example']", "active");
    chrome.screenshot("dashboard-org-admin.png", 1280, 640);

    page.view("audit");
    page.visible("#audit tr[data-action='user.create']");
    assertThat(page.text("#audit tr[data-action='user.create']")).contains("samir@initech.example");
    page.visible("#audit tr[data-action='user.disable']");
    page.visible("#audit tr[data-action='user.enable']");
    assertThat(page.text("#audit")).contains("sign_in");

    page.signOut();
    page.signIn("samir@initech.example", PASSWORD, "Samir");
  }

  @Test
  void theSuperAdminCreatesAndDisablesAnOrganization() {
    page.signInWithToken(server.adminToken());
    page.view("orgs");
    page.visible("#orgs tr[data-org='" + ORG + "']");
    page.type("#org-slug", "globex");
    page.type("#org-name", "Globex Corporation");
    page.click("#org-create");
    page.visible("#orgs tr[data-org='globex']");
    assertThat(page.text("#orgs tr[data-org='globex']")).contains("Globex Corporation", "active");

    page.click("#orgs tr[data-org='globex'] button.disable");
    page.awaitText("#orgs tr[data-org='globex']", "disabled");

    page.view("audit");
    page.visible("#audit tr[data-action='org.create']");
    page.visible("#audit tr[data-action='org.disable']");
  }

  @Test
  void theRequestLogFiltersByMethodStatusAndPathAndPagesBack() throws Exception {
    var token = server.createToken("milton-log", "milton@initech.example");
    try (TestClient milton = TestClient.ready(server, token.token(), "stapler", String.valueOf(origin.port()))) {
      String tunnel = milton.publicUrl().replaceFirst("^https?://", "").split("\\.", 2)[0];
      for (int i = 0; i < PAGE + 2; i++) {
        visit(RawRequest.get("/echo/page?n=" + i), tunnel, 200);
      }
      visit(RawRequest.of("POST", "/echo/orders").body("{\"stapler\":\"red\"}"), tunnel, 200);
      visit(RawRequest.get("/status/404"), tunnel, 404);
      int total = PAGE + 4;

      page.signIn("milton@initech.example", PASSWORD, "Milton");
      page.type("#requests-tunnel", tunnel);
      page.click("#requests-show");
      // The log is written in batches off the hot path: the newest page follows it until all are there.
      page.awaitText("#requests tbody tr:first-child", "/status/404");
      page.awaitCount("#requests tbody tr", PAGE);
      page.visible("#requests-older");
      assertThat(page.displayed("#requests-newest")).isFalse();

      page.click("#requests-older");
      page.awaitCount("#requests tbody tr", total - PAGE);
      page.visible("#requests-newest");
      page.invisible("#requests-older");
      assertThat(page.text("#requests tbody tr:last-child")).contains("/echo/page?n=0");

      page.click("#requests-newest");
      page.awaitCount("#requests tbody tr", PAGE);

      new Select(chrome.one("#filter-method")).selectByValue("POST");
      page.click("#requests-show");
      page.awaitCount("#requests tbody tr", 1);
      assertThat(page.text("#requests tbody tr")).contains("POST", "/echo/orders");

      new Select(chrome.one("#filter-method")).selectByValue("");
      page.type("#filter-status", "4xx");
      page.click("#requests-show");
      page.awaitCount("#requests tbody tr", 1);
      assertThat(page.text("#requests tbody tr")).contains("/status/404", "404");

      page.type("#filter-status", "200");
      page.type("#filter-path", "n=1");
      page.click("#requests-show");
      // n=1, n=10..n=19: eleven paths contain "n=1".
      page.awaitCount("#requests tbody tr", 11);
      assertThat(page.text("#requests tbody").strip().split("\n")).hasSize(11)
          .allMatch(line -> line.contains("n=1"));
    }
  }

  private static void visit(RawRequest r, String tunnel, int status) throws Exception {
    assertThat(RawHttp.exchange(server.httpPort(), r.host(server.host(tunnel))).status()).isEqualTo(status);
  }
}
