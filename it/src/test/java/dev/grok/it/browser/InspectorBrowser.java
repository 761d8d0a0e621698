package dev.grok.it.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}) driven by
 * Selenium, for the tests of the request inspector's page. Nothing is downloaded: a missing browser fails the test
 * with what to install. {@link #screenshot} writes a PNG only when {@code -Dgrok.screenshots=DIR} is set.
 */
public final class InspectorBrowser implements AutoCloseable {
  /** Where the Debian packages put them ({@code apt-get install chromium chromium-driver}). */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Directory for screenshots, from {@code -Dgrok.screenshots=DIR}; none are taken without it. */
  public static final String SCREENSHOTS_PROPERTY = "grok.screenshots";

  private final ChromeDriver driver;

  private InspectorBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A fresh headless browser with a 1400x900 window. */
  public static InspectorBrowser start() {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(p + " is missing (expected: apt-get install chromium chromium-driver; "
            + ".ci/run installs them)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new InspectorBrowser(driver);
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public WebElement one(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Text of the first element matching {@code css}, "" when there is none (read in the page: never stale). */
  public String text(String css) {
    return String.valueOf(js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css));
  }

  /** How many elements match {@code css} with exactly {@code text} as their text. */
  public long count(String css, String text) {
    return ((Number) js("return [...document.querySelectorAll(arguments[0])]"
        + ".filter(e => e.innerText.trim() === arguments[1]).length;", css, text)).longValue();
  }

  /** Clicks the first element matching {@code css}; false when there is none. */
  public boolean click(String css) {
    return Boolean.TRUE.equals(js("const e = document.querySelector(arguments[0]); if (!e) return false;"
        + " e.click(); return true;", css));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Fetches {@code path} from the page's origin inside the browser and returns the response text. */
  public String fetchText(String path) {
    Object result = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));", path);
    return String.valueOf(result);
  }

  /** Saves a PNG of the page as {@code DIR/name.png} when {@code -Dgrok.screenshots=DIR} is set. */
  public void screenshot(String name) {
    String dir = System.getProperty(SCREENSHOTS_PROPERTY);
    if (dir == null || dir.isBlank()) {
      return;
    }
    try {
      Path out = Path.of(dir).resolve(name + ".png");
      Files.createDirectories(out.getParent());
      Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + name, e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
