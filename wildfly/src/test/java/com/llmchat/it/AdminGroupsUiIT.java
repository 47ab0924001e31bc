package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The groups and model access pages: what an administrator sets there holds in the API. */
class AdminGroupsUiIT extends DeployedEar {

  @Test
  void anAdministratorMakesAGroupAddsAMemberAndOpensAModelToIt() throws Exception {
    Platform.simulator();
    var admin = TestAccounts.create("organiser", "ADMIN");
    var member = TestAccounts.user("analyst");
    var outsider = TestAccounts.user("bystander");
    String alias = SharedModels.add("finance-model", "");
    String group = "finance-" + UUID.randomUUID().toString().substring(0, 6);
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(admin.username(), admin.password());
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("session:admin"))).click();
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("groupsTab"))).click();
      browser.type(Browser.input("groups:name"), group);
      browser.type(Browser.input("groups:description"), "Finance department");
      browser.driver.findElement(By.id("groups:add")).click();
      // a new group is shown with its members at once
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("groups:members")));
      browser.type(Browser.input("groups:member"), member.username());
      browser.driver.findElement(By.id("groups:addMember")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("groups:memberTable"), member.username()));
      browser.screenshot("admin-groups.png");

      browser.driver.findElement(By.id("accessTab")).click();
      WebElement row =
          browser.wait.until(
              driver ->
                  driver.findElements(By.cssSelector("#access\\:table tr")).stream()
                      .filter(r -> r.getText().contains(alias))
                      .findFirst()
                      .orElse(null));
      row.findElement(By.cssSelector(".groups")).click();
      WebElement choice =
          browser.wait.until(
              driver ->
                  driver.findElements(By.cssSelector(".ui-selectcheckboxmenu-panel li")).stream()
                      .filter(li -> li.isDisplayed() && li.getText().equals(group))
                      .findFirst()
                      .orElse(null));
      choice.findElement(By.cssSelector(".ui-chkbox-box")).click();
      // the open list of groups may cover the button (many groups): clicked in the page
      browser.js("arguments[0].click()", row.findElement(By.cssSelector(".save")));
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("access:feedback"), "open to the chosen groups only"));
      browser.wait.until(
          driver ->
              driver.findElements(By.cssSelector("#access\\:table tr")).stream()
                  .anyMatch(r -> r.getText().contains(alias) && r.getText().contains(group)));
      browser.screenshot("admin-model-access.png");
    }
    var access =
        Json.array(Api.get("v1/admin/model-access", TestAccounts.admin().accessToken()).body())
            .stream()
            .map(a -> a.asJsonObject())
            .filter(a -> a.getString("alias").equals(alias))
            .findFirst()
            .orElseThrow();
    assertEquals(group, access.getJsonArray("groups").getJsonObject(0).getString("name"));
    assertTrue(Api.get("v1/models", member.accessToken()).body().contains(alias));
    assertTrue(!Api.get("v1/models", outsider.accessToken()).body().contains(alias));
  }

  @Test
  void anAdministratorSetsAGroupBudgetAndItsMemberSeesWhatIsLeft() throws Exception {
    Platform.simulator();
    var admin = TestAccounts.create("treasurer", "ADMIN");
    var member = TestAccounts.user("spender");
    String group = "budgeted-" + UUID.randomUUID().toString().substring(0, 6);
    var made =
        Api.post(
            "v1/admin/groups",
            TestAccounts.admin().accessToken(),
            "{\"name\":" + Api.q(group) + "}");
    assertEquals(201, made.statusCode(), made.body());
    long groupId = Json.object(made.body()).getJsonNumber("id").longValue();
    Api.put(
        "v1/admin/groups/" + groupId + "/members/" + member.id(),
        TestAccounts.admin().accessToken(),
        null);
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/admin/budgets.xhtml", admin.username(), admin.password());
      browser.type(Browser.input("budgets:holderName"), group);
      new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("budgets:period")))
          .selectByValue("DAY");
      browser.type(Browser.input("budgets:requestLimit"), "1");
      browser.driver.findElement(By.id("budgets:save")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("budgets:table"), group));
      browser.screenshot("admin-budgets.png");
    }
    var mine = Json.array(Api.get("v1/users/me/budgets", member.accessToken()).body());
    assertEquals(1, mine.size(), mine.toString());
    assertEquals(1, mine.getJsonObject(0).getJsonNumber("requestLimit").longValue());
    assertEquals("DAY", mine.getJsonObject(0).getString("period"));

    // the one request of the day used: the chat says so above the input, the profile shows 0 left
    SseClient.chat(member.accessToken(), "demo", "the only one [sim tokens=2 gap-ms=1]");
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/", member.username(), member.password());
      var warning =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.id("budget-warning")));
      assertTrue(warning.getText().contains("nearly used up"), warning.getText());
      browser.screenshot("chat-budget-warning.png");
      browser.open("/account/profile.xhtml");
      var budgets =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.id("profile:budgets")));
      assertTrue(budgets.getText().contains("requests left: 0"), budgets.getText());
    }
  }
}
