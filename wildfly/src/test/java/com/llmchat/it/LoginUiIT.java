package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Runs first, while the bootstrapped administrator still has its one-time password: log in through
 * the UI, be made to choose a password, use the application, log out.
 */
@Order(1)
class LoginUiIT extends DeployedEar {

  @Test
  void bootstrappedAdminLogsInIsForcedToChangeThePasswordAndLogsOut() throws Exception {
    String oneTime = TestAccounts.readInitialPassword();
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.wait.until(ExpectedConditions.urlContains("/login.xhtml"));

      browser.logIn("admin", "not the password");
      var error =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ui-messages-error")));
      assertTrue(error.getText().contains("Wrong username or password"), error.getText());

      String anonymousSession = browser.sessionCookie();
      browser.logIn("admin", oneTime);
      browser.wait.until(ExpectedConditions.urlContains("/account/password.xhtml"));
      assertNotEquals(
          anonymousSession, browser.sessionCookie(), "the session id must change at login");
      assertTrue(browser.driver.findElement(By.id("required")).isDisplayed());
      browser.screenshot("forced-password-change.png");

      browser.open("/");
      browser.wait.until(ExpectedConditions.urlContains("/account/password.xhtml"));

      String chosen = Secrets.remember("Chosen-" + UUID.randomUUID());
      browser.type(Browser.input("change:current"), oneTime);
      browser.type(Browser.input("change:next"), chosen);
      browser.type(Browser.input("change:confirmation"), chosen);
      browser.driver.findElement(By.id("change:submit")).click();
      new ChatPage(browser).ready();
      TestAccounts.adminPasswordChangedTo(chosen);
      assertEquals("admin", browser.driver.findElement(By.id("who")).getText());
      assertTrue(browser.driver.findElement(By.id("notice")).getText().contains("changed"));
      assertFalse(
          Files.exists(Platform.dataDir().resolve("secrets/initial-admin-password")),
          "the one-time password file is removed once used");

      browser.driver.findElement(By.id("session:logout")).click();
      browser.wait.until(ExpectedConditions.urlContains("/login.xhtml"));
      browser.open("/");
      browser.wait.until(ExpectedConditions.urlContains("/login.xhtml"));

      browser.logIn("admin", chosen);
      new ChatPage(browser).ready();
    }
  }
}
