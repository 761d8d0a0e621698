package dev.grok.testing.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by Selenium, for tests of the web pages: Debian's {@code chromium} and {@code
 * /usr/bin/chromedriver} (override with {@code -Dgrok.chromium=PATH} and {@code -Dgrok.chromedriver=PATH}); no
 * driver download. Screenshots go to the directory named by {@code -Dgrok.screenshots} (relative to the
 * repository root), and nowhere otherwise, so that normal test runs leave the tree clean.
 */
public final class HeadlessChrome implements AutoCloseable {
  /** Generous for a loaded machine: pages poll every few seconds. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;

  private HeadlessChrome(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts the browser with a 1280x900 window. */
  public static HeadlessChrome start() {
    Path chromedriver = Path.of(System.getProperty("grok.chromedriver", "/usr/bin/chromedriver"));
    Path chromium = Path.of(System.getProperty("grok.chromium", "/usr/bin/chromium"));
    for (Path p : new Path[] {chromedriver, chromium}) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(p + " is missing (expected: Debian's chromium and chromium-driver; "
            + ".ci/run installs them)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,900", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    return new HeadlessChrome(driver);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Loads {@code url} and waits for the page's load event. */
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

  /** Fetches {@code path} from the page's origin inside the browser and returns the response text. */
  public String fetchText(String path) {
    Object result = driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));", path);
    return String.valueOf(result);
  }

  private Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** A wait of {@link #WAIT}. */
  public WebDriverWait waiting() {
    return new WebDriverWait(driver, WAIT);
  }

  /**
   * Saves the page, resized to {@code width x height} and scrolled to its top, as {@code DIR/fileName} when
   * {@code -Dgrok.screenshots=DIR} is set (a relative DIR is resolved against the repository root); does nothing
   * otherwise. Returns the file written, or null.
   */
  public Path screenshot(String fileName, int width, int height) {
    String dir = System.getProperty("grok.screenshots");
    if (dir == null || dir.isBlank()) {
      return null;
    }
    driver.manage().window().setSize(new Dimension(width, height));
    driver.executeScript("window.scrollTo(0, 0)");
    Path target = repositoryRoot().resolve(dir).resolve(fileName);
    try {
      Files.createDirectories(target.getParent());
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + target, e);
    }
  }

  /** The nearest directory up from the working directory that holds {@code mvnw}. */
  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path d = p; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw"))) {
        return d;
      }
    }
    return p;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
