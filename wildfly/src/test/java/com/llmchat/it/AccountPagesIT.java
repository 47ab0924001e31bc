package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Self-registration (only when opened) and the profile page, in the browser. */
class AccountPagesIT extends DeployedEar {

  private static void registration(String value) throws Exception {
    var response =
        Api.put(
            "v1/admin/settings/registration",
            TestAccounts.admin().accessToken(),
            "{\"value\":\"" + value + "\"}");
    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void afterAWrongPasswordEveryProtectedPageStillLeadsToTheLoginPage() throws Exception {
    var user = TestAccounts.user("mistyped");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), "not the password");
      browser.wait.until(
          ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ui-messages-error")));
      for (String page : new String[] {"/", "/admin/users.xhtml", "/account/profile.xhtml"}) {
        browser.open(page);
        browser
            .waitSaying(() -> page + " showed: " + browser.driver.getPageSource())
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("login:submit")));
      }
      browser.logIn(user.username(), user.password());
      new ChatPage(browser).ready();
    }
  }

  @Test
  void registrationIsOfferedOnlyWhenOpenAndLeadsToALogin() throws Exception {
    try (Browser browser = new Browser()) {
      registration("closed");
      browser.open("/login.xhtml");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login:submit")));
      assertTrue(browser.driver.findElements(By.id("register")).isEmpty(), "link while closed");
      browser.open("/register.xhtml");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("closed")));
      assertTrue(browser.driver.findElements(By.id("register:submit")).isEmpty());

      registration("open");
      browser.open("/login.xhtml");
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("register"))).click();
      String username = "newcomer-" + UUID.randomUUID().toString().substring(0, 6);
      String password = Secrets.remember("a-long-passphrase-" + UUID.randomUUID());
      browser.wait.until(
          ExpectedConditions.visibilityOfElementLocated(Browser.input("register:username")));
      browser.type(Browser.input("register:username"), username);
      browser.type(Browser.input("register:password"), "short");
      browser.type(Browser.input("register:confirmation"), "short");
      browser.driver.findElement(By.id("register:submit")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("register:messages"), "too weak"));

      browser.type(Browser.input("register:password"), password);
      browser.type(Browser.input("register:confirmation"), password);
      browser.driver.findElement(By.id("register:submit")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), username));
      browser.logIn(username, password);
      browser
          .wait
          .withMessage(() -> browser.driver.getCurrentUrl() + "\n" + browser.driver.getPageSource())
          .until(ExpectedConditions.textToBe(By.id("who"), username));
    } finally {
      registration("closed");
    }
  }

  @Test
  void theProfileChangesNameEmailAndLanguage() throws Exception {
    var user = TestAccounts.user("profiled");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("session:profile"))).click();
      browser.wait.until(
          ExpectedConditions.visibilityOfElementLocated(Browser.input("profile:displayName")));
      browser.type(Browser.input("profile:displayName"), "Zhang Wei");
      browser.type(Browser.input("profile:email"), "not-an-email");
      browser.driver.findElement(By.id("profile:submit")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "email"));

      browser.type(Browser.input("profile:email"), "zhang.wei@example.com");
      new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("profile:locale")))
          .selectByValue("zh_CN");
      browser.driver.findElement(By.id("profile:submit")).click();
      browser.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "个人资料"));
      assertEquals("个人资料已保存。", browser.driver.findElement(By.id("notice")).getText());
      browser.screenshot("profile-zh.png");
    }
    var me = Json.object(Api.get("v1/users/me", user.accessToken()).body());
    assertEquals("Zhang Wei", me.getString("displayName"));
    assertEquals("zhang.wei@example.com", me.getString("email"));
    assertEquals("zh_CN", me.getString("locale"));
  }
}
