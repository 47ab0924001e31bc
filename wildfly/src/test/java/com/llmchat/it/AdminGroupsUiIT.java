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
      row.findElement(By.cssSelector(".save")).click();
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
}
