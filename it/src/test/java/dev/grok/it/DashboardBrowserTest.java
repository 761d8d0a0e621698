package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.browser.HeadlessChrome;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The server dashboard in a real (headless) browser: sign in with the admin token (the super admin's way in), see a
 * live tunnel and its requests, create a token and use it from a client, stop a tunnel (its client is told and
 * exits). With
 * {@code -Dgrok.screenshots=docs/screenshots} it saves {@code dashboard.png}.
 */
@Timeout(180)
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().build();
  static HeadlessChrome chrome;

  @BeforeAll
  static void start() {
    chrome = tunnel.closing(HeadlessChrome.start());
  }

  private static WebElement visible(String css) {
    return chrome.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static void request(String name, String method, String path, String body) throws Exception {
    RawRequest r = RawRequest.of(method, path).host(tunnel.host(name));
    assertThat(RawHttp.exchange(tunnel.httpPort(), body == null ? r : r.body(body)).status()).isEqualTo(200);
  }

  @Test
  void signInSeeTheTunnelCreateATokenAndDisconnect() throws Exception {
    WebDriver page = chrome.driver();
    page.get("http://127.0.0.1:" + tunnel.server().server().adminPort() + "/");

    visible("#token-signin summary").click(); // the admin token's sign-in is folded under the email one
    visible("#token").sendKeys("grok_wrong-token");
    page.findElement(By.id("signin-button")).click();
    chrome.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-error"),
        "invalid token"));
    WebElement token = page.findElement(By.id("token"));
    token.clear();
    token.sendKeys(tunnel.server().adminToken());
    page.findElement(By.id("signin-button")).click();
    assertThat(visible("#user").getText()).isEqualTo("admin");

    try (TestClient demo = TestClient.ready(tunnel.server(), tunnel.server().adminToken(), "browser-demo",
        String.valueOf(tunnel.origin().port()))) {
      request("browser-demo", "GET", "/", null);
      request("browser-demo", "POST", "/echo/orders?id=42", "{\"item\":\"coffee\"}");
      WebElement row = visible("#tunnels tr[data-tunnel='browser-demo']");
      assertThat(row.getText()).contains(tunnel.server().publicUrl("browser-demo")).contains("admin").contains("http");

      row.findElement(By.cssSelector("button.show-requests")).click();
      chrome.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("requests"),
          "/echo/orders?id=42"));

      visible("#nav a[data-view='tokens']").click();
      visible("#token-name").sendKeys("dashboard-made");
      page.findElement(By.id("token-user")).sendKeys("dave");
      page.findElement(By.id("token-create")).click();
      String created = visible("#created-token").getText();
      assertThat(created).isNotBlank();
      visible("#tokens tr[data-token='dashboard-made']");

      try (TestClient dave = TestClient.ready(tunnel.server(), created, "dave-app",
          String.valueOf(tunnel.origin().port()))) {
        request("dave-app", "GET", "/hello", null);
        visible("#nav a[data-view='tunnels']").click();
        WebElement daveRow = visible("#tunnels tr[data-tunnel='dave-app']");
        assertThat(daveRow.getText()).contains("dave");
        chrome.waiting().until(d -> !d.findElement(By.id("stat-requests")).getText().equals("-"));
        chrome.screenshot("dashboard.png", 1280, 1700);

        daveRow.findElement(By.cssSelector("button.disconnect")).click();
        assertThat(dave.awaitTerminated(WAIT)).as("exit status of the disconnected client").isEqualTo(5);
        chrome.waiting().until(ExpectedConditions.invisibilityOfElementLocated(
            By.cssSelector("#tunnels tr[data-tunnel='dave-app']")));
        assertThat(page.findElement(By.id("tunnels")).getText()).contains("browser-demo");
      }
    }
  }
}
