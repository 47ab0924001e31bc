package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The administration dashboard in Chromium: usage of the period, the installation's status. */
class DashboardUiIT extends DeployedEar {

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
    var admin = TestAccounts.admin();
    browser.logInAndOpen("/admin/dashboard.xhtml", admin.username(), admin.password());
    browser
        .wait
        .withMessage(
            () ->
                "dashboard did not load: "
                    + browser.driver.getCurrentUrl()
                    + "\n"
                    + browser.driver.getPageSource())
        .until(ExpectedConditions.presenceOfElementLocated(By.id("status:report")));
    assertEquals("LLM Chat", browser.driver.getTitle());
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
    assertEquals(java.util.List.of(), browser.cspViolations());
  }

  @Test
  void theDashboardShowsTheTokensOfTheConversationsJustHadInChinese() throws Exception {
    String alias = SharedModels.add("dash", "");
    String admin = TestAccounts.admin().accessToken();
    var user = TestAccounts.user("counted");
    SseClient.chat(user.accessToken(), alias, "One [sim tokens=5 gap-ms=1]");
    SseClient.chat(user.accessToken(), alias, "Two [sim tokens=7 gap-ms=1]");
    long expected = 0;
    long requests = 0;
    for (var day : Json.array(Api.get("v1/admin/usage", admin).body())) {
      var row = day.asJsonObject();
      if (row.getString("model").equals(alias)) {
        expected +=
            row.getJsonNumber("promptTokens").longValue()
                + row.getJsonNumber("completionTokens").longValue();
        requests += row.getJsonNumber("requests").longValue();
      }
    }
    assertEquals(2, requests);
    assertTrue(expected > 12, "tokens counted: " + expected);

    // a group the user is not in: filtered by it, the model's tokens are not shown
    var group =
        Api.post(
            "v1/admin/groups",
            admin,
            "{\"name\":"
                + Api.q("elsewhere-" + java.util.UUID.randomUUID().toString().substring(0, 6))
                + "}");
    assertEquals(201, group.statusCode(), group.body());
    String groupId = String.valueOf(Json.object(group.body()).getJsonNumber("id").longValue());

    try (Browser chinese = new Browser("zh-CN")) {
      chinese.logInAndOpen(
          "/admin/dashboard.xhtml",
          TestAccounts.admin().username(),
          TestAccounts.admin().password());
      chinese.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("usage:models")));
      assertEquals("仪表盘", chinese.driver.findElement(By.tagName("h1")).getText());
      assertEquals("服务商与模型", chinese.driver.findElement(By.id("providersTab")).getText());
      var row =
          chinese.driver.findElement(
              By.xpath(
                  "//*[@id='usage:models']//tr[.//span[@class='name' and text()='"
                      + alias
                      + "']]"));
      String shown = row.findElement(By.className("tokens")).getText().replace(",", "");
      assertEquals(String.valueOf(expected), shown);
      // now: the provider that answered, its breaker closed, two requests today
      var provider =
          chinese.driver.findElement(
              By.xpath(
                  "//*[@id='live:providerHealth']//tr[.//span[@class='name' and text()='Provider of "
                      + alias
                      + "']]"));
      assertTrue(provider.getText().contains("关闭"), provider.getText());
      assertEquals(
          "2", provider.findElements(By.tagName("td")).get(3).getText(), provider.getText());
      assertTrue(
          provider.getText().contains(" ms"), "median time to first token: " + provider.getText());
      // the charts are drawn (canvas present, Chart.js attached)
      assertEquals(
          3L,
          chinese.js(
              "return [...document.querySelectorAll('canvas')]"
                  + ".filter(c => c.width > 0 && c.height > 0).length;"));
      chinese.screenshot("admin-dashboard.png");
      assertEquals(java.util.List.of(), chinese.cspViolations());

      new org.openqa.selenium.support.ui.Select(chinese.driver.findElement(By.id("usage:group")))
          .selectByValue(groupId);
      chinese.driver.findElement(By.id("usage:show")).click();
      chinese.wait.until(
          driver ->
              driver
                  .findElements(
                      By.xpath(
                          "//*[@id='usage:models']//span[@class='name' and text()='"
                              + alias
                              + "']"))
                  .isEmpty());
      // nobody is in that group: nothing used
      chinese.wait.until(ExpectedConditions.textToBe(By.id("total-tokens"), "0"));
    }
  }
}
