/** Browser fixtures: headless Chromium driven by Selenium for the tests of the web pages. */
package dev.grok.it.browser;
