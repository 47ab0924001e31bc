package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.simulator.Simulator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** An administrator adds a model server and a model in the browser; a user then chats with it. */
class AdminProvidersUiIT extends DeployedEar {

  private static final String KEY =
      Secrets.remember("sk-ui-" + UUID.randomUUID().toString().replace("-", ""));
  private static Simulator keyed;

  @BeforeAll
  static void modelServer() {
    keyed = Platform.extraSimulator("127.0.0.1", KEY, null);
  }

  @Test
  void anAdministratorAddsAProviderAndAModelAndAUserPicksItAndChats() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String name = "Intranet vLLM " + suffix;
    String alias = "intranet-" + suffix;
    var admin = TestAccounts.admin();
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/admin/providers.xhtml", admin.username(), admin.password());
      browser.type(Browser.input("providers:name"), name);
      browser.type(Browser.input("providers:baseUrl"), keyed.baseUrl());
      browser.type(Browser.input("providers:apiKey"), KEY);
      browser.driver.findElement(By.cssSelector("[id='providers:private'] .ui-chkbox-box")).click();
      browser.driver.findElement(By.id("providers:save")).click();
      var row =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(
                  By.xpath(
                      "//tr[.//a[contains(@class,'provider-name') and text()='" + name + "']]")));
      assertTrue(row.getText().contains("…" + KEY.substring(KEY.length() - 4)), row.getText());

      row.findElement(By.cssSelector(".test")).click();
      var reachable =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.id("providers:reachable")));
      assertTrue(reachable.getText().contains("demo"), reachable.getText());

      browser.type(Browser.input("providers:upstreamId"), "demo");
      browser.type(Browser.input("providers:alias"), alias);
      browser.type(Browser.input("providers:displayName"), "Intranet " + suffix);
      browser.driver.findElement(By.id("providers:addModel")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("providers:modelTable"), alias));
      // the model takes images: marked with one click, shown in its row
      browser.driver.findElement(By.cssSelector("#providers\\:modelTable .toggle-vision")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#providers\\:modelTable .toggle-vision"), "Yes"));

      // changing the provider: the key field is empty, the stored key stays
      browser
          .wait
          .until(
              ExpectedConditions.visibilityOfElementLocated(
                  By.xpath("//tr[.//a[text()='" + name + "']]//button[contains(@class,'edit')]")))
          .click();
      browser.wait.until(
          ExpectedConditions.attributeToBe(Browser.input("providers:name"), "value", name));
      assertEquals(
          "", browser.driver.findElement(Browser.input("providers:apiKey")).getAttribute("value"));
      assertFalse(browser.driver.getPageSource().contains(KEY), "the API key is in the page");
      browser.screenshot("admin-providers.png");
      assertEquals(List.of(), browser.cspViolations());
    }

    var user = TestAccounts.user("picker");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready();
      var picker = new Select(browser.driver.findElement(By.id("model")));
      List<String> offered =
          picker.getOptions().stream().map(o -> o.getAttribute("value")).toList();
      var models = Json.array(Api.get("v1/models", user.accessToken()).body());
      assertEquals(models.stream().map(m -> m.asJsonObject().getString("id")).toList(), offered);
      assertTrue(
          models.stream()
              .map(m -> m.asJsonObject())
              .filter(m -> m.getString("id").equals(alias))
              .allMatch(m -> m.getBoolean("vision")),
          models.toString());
      picker.selectByValue(alias);
      chat.send("Hello intranet [sim tokens=4 gap-ms=5]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      assertTrue(chat.lastReplyText().startsWith("This is a simulated"), chat.lastReplyText());
      var conversation =
          Json.object(Api.get("v1/conversations", user.accessToken()).body())
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals(alias, conversation.getString("model"));
    }
  }

  @Test
  void theDefaultModelOfNewConversationsIsChosenInTheSettings() throws Exception {
    var admin = TestAccounts.admin();
    String alias = SharedModels.add("house", "");
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/admin/settings.xhtml", admin.username(), admin.password());
      new Select(browser.driver.findElement(By.id("settings:defaultModel"))).selectByValue(alias);
      browser.driver.findElement(By.id("settings:save")).click();
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
      browser.open("/");
      new ChatPage(browser).ready();
      assertEquals(
          alias,
          new Select(browser.driver.findElement(By.id("model")))
              .getFirstSelectedOption()
              .getAttribute("value"));
    } finally {
      // back to the first model, for the other tests
      try (Browser browser = new Browser()) {
        browser.logInAndOpen("/admin/settings.xhtml", admin.username(), admin.password());
        new Select(browser.driver.findElement(By.id("settings:defaultModel"))).selectByValue("");
        browser.driver.findElement(By.id("settings:save")).click();
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
      }
    }
  }
}
