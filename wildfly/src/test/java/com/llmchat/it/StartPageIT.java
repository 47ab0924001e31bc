package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The PrimeFaces start page in a real headless Chromium, driven through one AJAX action. */
class StartPageIT extends DeployedEar {

  private static Browser browser;

  @BeforeAll
  static void openBrowser() {
    browser = new Browser();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void checkButtonUpdatesTheStatusPanelWithoutReloadingThePage() throws Exception {
    var user = TestAccounts.sharedUser();
    browser.open("/");
    browser.logIn(user.username(), user.password());
    browser
        .wait
        .withMessage(
            () ->
                "start page did not load: "
                    + browser.driver.getCurrentUrl()
                    + "\n"
                    + browser.driver.getPageSource())
        .until(ExpectedConditions.presenceOfElementLocated(By.id("status:report")));
    assertEquals("LLM Chat", browser.driver.getTitle());
    assertTrue(
        browser.driver.findElement(By.id("status:report")).getText().contains("Demo (simulated)"));
    assertTrue(
        browser.driver.findElements(By.id("status:database")).isEmpty(),
        "database shown before the check");
    // a marker on the window survives only if the page is not reloaded
    ((JavascriptExecutor) browser.driver).executeScript("window.llmchatMarker = 42;");

    browser.driver.findElement(By.id("status:check")).click();

    var database =
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("status:database")));
    assertTrue(database.getText().contains("PostgreSQL"), database.getText());
    assertEquals(
        42L, ((JavascriptExecutor) browser.driver).executeScript("return window.llmchatMarker;"));
    browser.screenshot("start-page.png");
  }
}
