package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The PrimeFaces start page in a real headless Chromium, driven through one AJAX action. */
class StartPageIT extends DeployedEar {

  private static WebDriver browser;

  @BeforeAll
  static void openBrowser() {
    ChromeOptions options = new ChromeOptions();
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
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")))
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void checkButtonUpdatesTheStatusPanelWithoutReloadingThePage() throws Exception {
    browser.get(Platform.APP + "/");
    var page = new WebDriverWait(browser, Duration.ofSeconds(15));
    page.withMessage(
            () ->
                "start page did not load: "
                    + browser.getCurrentUrl()
                    + "\n"
                    + browser.getPageSource())
        .until(ExpectedConditions.titleIs("LLM Chat"));
    assertTrue(browser.findElement(By.id("status:report")).getText().contains("Demo (simulated)"));
    assertTrue(
        browser.findElements(By.id("status:database")).isEmpty(),
        "database shown before the check");
    // a marker on the window survives only if the page is not reloaded
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.llmchatMarker = 42;");

    browser.findElement(By.id("status:check")).click();

    var database =
        new WebDriverWait(browser, Duration.ofSeconds(15))
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("status:database")));
    assertTrue(database.getText().contains("PostgreSQL"), database.getText());
    assertEquals(
        42L,
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript("return window.llmchatMarker;"));
    screenshot("start-page.png");
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    Files.createDirectories(target);
    Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
