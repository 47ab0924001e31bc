package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The pages speak the browser's language until the user picks one, which is then kept with the
 * account: after logging in again, on another browser, the pages are still in that language.
 */
class LanguageUiIT extends DeployedEar {

  @Test
  void aChineseBrowserGetsChinesePages() throws Exception {
    try (Browser browser = new Browser("zh-CN")) {
      browser.open("/login.xhtml");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login:submit")));
      assertEquals("登录 · LLM Chat", browser.driver.getTitle());
      browser.driver.findElement(By.id("language:en")).click();
      browser.wait.until(ExpectedConditions.titleIs("Log in · LLM Chat"));
    }
  }

  @Test
  void theLanguageAUserPicksIsKeptWithTheAccount() throws Exception {
    var user = TestAccounts.user("polyglot");
    try (Browser browser = new Browser("en-US")) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      browser.wait.until(ExpectedConditions.textToBe(By.id("conversation-title"), "New chat"));
      browser.driver.findElement(By.id("language:zh")).click();
      browser.wait.until(ExpectedConditions.textToBe(By.id("conversation-title"), "新对话"));
      assertEquals("退出登录", browser.driver.findElement(By.id("session:logout")).getText());
    }
    assertEquals(
        "zh_CN",
        Json.object(Api.get("v1/users/me", user.accessToken()).body()).getString("locale"));
    try (Browser other = new Browser("en-US")) {
      other.open("/");
      other.logIn(user.username(), user.password());
      other.wait.until(ExpectedConditions.textToBe(By.id("conversation-title"), "新对话"));
      assertEquals("发送", other.driver.findElement(By.id("send")).getText().trim());
      other.screenshot("chat-zh.png");
    }
  }
}
