package com.llmchat.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium driven through ChromeDriver, both from Debian's packages. */
final class Browser implements AutoCloseable {

  final WebDriver driver;
  final WebDriverWait wait;

  Browser() {
    this("en-US");
  }

  /** A browser whose preferred language (Accept-Language) is {@code language}, e.g. zh-CN. */
  Browser(String language) {
    ChromeOptions options = new ChromeOptions();
    options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
    options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--lang=" + language);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")))
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    // a page being replaced (AJAX update, post-redirect-get) makes elements found a moment ago
    // stale or detached; a wait tries again rather than failing on the first such answer
    wait.ignoring(WebDriverException.class);
  }

  void open(String path) {
    driver.get(Platform.APP + path);
  }

  /** Fills the login form and submits it. */
  void logIn(String username, String password) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login:username")));
    type(input("login:username"), username);
    type(input("login:password"), password);
    driver.findElement(By.id("login:submit")).click();
  }

  /** Logs in (the login always leads to the chat page) and opens {@code path}. */
  void logInAndOpen(String path, String username, String password) {
    open("/");
    logIn(username, password);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("session:profile")));
    open(path);
  }

  /** A PrimeFaces input by its component id (some components add "_input" to the element id). */
  static By input(String id) {
    return By.cssSelector("input[id='" + id + "'], input[id='" + id + "_input']");
  }

  /**
   * Types into a field, once it is shown and takes input. A field that an AJAX update is replacing
   * can be found, shown, and still refuse the keys for a moment ("element not interactable", seen
   * in DirectoryLoginIT right after a wait for it to be clickable): then it is found and typed into
   * again.
   */
  void type(By field, String text) {
    waitSaying(() -> "could not type into " + field)
        .until(
            driver -> {
              var element = driver.findElement(field);
              if (!element.isDisplayed()) {
                return false;
              }
              element.clear();
              element.sendKeys(text);
              return true;
            });
  }

  /** A wait of its own that says {@code message} when it times out. */
  WebDriverWait waitSaying(java.util.function.Supplier<String> message) {
    WebDriverWait own = new WebDriverWait(driver, Duration.ofSeconds(15));
    own.withMessage(message);
    // the chat page re-renders its messages; an element found a moment ago may be gone
    own.ignoring(WebDriverException.class);
    return own;
  }

  /** Runs a script in the page and returns its value. */
  Object js(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(script, arguments);
  }

  /** The scripts the Content-Security-Policy blocked on this page so far (csp-report.js). */
  java.util.List<?> cspViolations() {
    Object found = js("return window.llmchatCspViolations || ['csp-report.js not loaded'];");
    return (java.util.List<?>) found;
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  String sessionCookie() {
    var cookie = driver.manage().getCookieNamed("JSESSIONID");
    return cookie == null ? null : cookie.getValue();
  }

  void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path target = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    Files.createDirectories(target);
    Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
