/**
 * Browser tests: {@link dev.grok.testing.browser.HeadlessChrome}, a Selenium WebDriver on Debian's headless
 * Chromium and chromedriver, with screenshots written only when {@code -Dgrok.screenshots=DIR} is set.
 */
package dev.grok.testing.browser;
