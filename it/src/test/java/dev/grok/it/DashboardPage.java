package dev.grok.it;

import dev.grok.testing.browser.HeadlessChrome;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The server dashboard in a {@link HeadlessChrome}, as its browser tests drive it: every step waits for a DOM
 * condition (never a sleep), and clicks run inside the page so that a table re-rendered by a poll cannot leave the
 * test holding a stale element.
 */
final class DashboardPage {
  private final HeadlessChrome chrome;

  DashboardPage(HeadlessChrome chrome) {
    this.chrome = chrome;
  }

  HeadlessChrome chrome() {
    return chrome;
  }

  /** Loads the dashboard of {@code server} and waits until it shows either the sign-in page or a signed-in view. */
  void open(TestServer server) {
    chrome.open("http://127.0.0.1:" + server.server().adminPort() + "/");
    chrome.waiting().until(d -> chrome.one("#signin").isDisplayed() || chrome.one("#dashboard").isDisplayed());
  }

  /** Loads the dashboard of {@code server} signed out. */
  void openSignedOut(TestServer server) {
    open(server);
    if (chrome.one("#dashboard").isDisplayed()) {
      signOut();
    }
  }

  WebElement visible(String css) {
    return chrome.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  void invisible(String css) {
    chrome.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  boolean displayed(String css) {
    return chrome.one(css).isDisplayed();
  }

  /** Clicks the first element matching {@code css} once there is one. */
  void click(String css) {
    chrome.waiting().until(d -> chrome.click(css));
  }

  void type(String css, String text) {
    WebElement e = visible(css);
    e.clear();
    e.sendKeys(text);
  }

  void awaitText(String css, String text) {
    chrome.waiting().until(d -> chrome.text(css).contains(text));
  }

  /** Waits until exactly {@code n} elements match {@code css}. */
  void awaitCount(String css, int n) {
    chrome.waiting().until(d -> chrome.all(css).size() == n);
  }

  String text(String css) {
    return chrome.text(css);
  }

  void submitSignIn(String email, String password) {
    type("#email", email);
    type("#password", password);
    click("#login-button");
  }

  /** Signs in and waits for the dashboard to greet {@code name}. */
  void signIn(String email, String password, String name) {
    submitSignIn(email, password);
    visible("#dashboard");
    awaitText("#user", name);
  }

  /** Signs in with an admin token, the super admin's way in without an account password. */
  void signInWithToken(String token) {
    click("#token-signin summary");
    type("#token", token);
    click("#signin-button");
    visible("#dashboard");
  }

  void signOut() {
    click("#signout");
    visible("#email");
  }

  /** Switches to the view {@code name} (tunnels, tokens, users, orgs, audit, account) by its link. */
  void view(String name) {
    click("#nav a[data-view='" + name + "']");
    visible("#view-" + name);
  }
}
