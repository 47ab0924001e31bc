package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The user administration page: for administrators only, checked against the database. */
class AdminUsersUiIT extends DeployedEar {

  @Test
  void anAdministratorCreatesFindsAndDisablesAnAccount() throws Exception {
    var admin = TestAccounts.create("chief", "ADMIN");
    String username = "hired-" + UUID.randomUUID().toString().substring(0, 6);
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(admin.username(), admin.password());
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("session:admin"))).click();
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("usersTab"))).click();
      browser.type(Browser.input("users:username"), username);
      browser.type(Browser.input("users:displayName"), "New Hire");
      browser.driver.findElement(By.id("users:add")).click();
      String oneTime =
          browser
              .wait
              .until(ExpectedConditions.visibilityOfElementLocated(By.id("users:password")))
              .getText();
      Secrets.remember(oneTime);
      assertEquals(username, browser.driver.findElement(By.id("users:for")).getText());
      var login =
          Api.post(
              "v1/auth/login",
              null,
              "{\"username\":" + Api.q(username) + ",\"password\":" + Api.q(oneTime) + "}");
      assertEquals(200, login.statusCode(), "the one-time password shown works");

      browser.type(Browser.input("users:search"), username);
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#users\\:table .username"), 1));
      browser.driver.findElement(By.cssSelector("#users\\:table .toggle")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#users\\:table .status"), "Disabled"));
      browser.screenshot("admin-users.png");

      // the audit log shows who did it
      browser.driver.findElement(By.id("auditTab")).click();
      browser.type(Browser.input("audit:action"), "account-disable");
      browser.wait.until(
          driver -> {
            var actions = driver.findElements(By.cssSelector("#audit\\:table .action"));
            return !actions.isEmpty()
                && actions.stream().allMatch(a -> a.getText().equals("account-disable"));
          });
      // the filter may refresh the table more than once: find it afresh on every look
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("audit:table"), username));
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("audit:table"), admin.username()));
      browser.screenshot("admin-audit.png");
    }
    var found =
        Json.object(
            Api.get("v1/admin/users?search=" + username, TestAccounts.admin().accessToken())
                .body());
    var account = found.getJsonArray("items").getJsonObject(0);
    assertFalse(account.getBoolean("enabled"));
    assertEquals("New Hire", account.getString("displayName"));
  }

  @Test
  void anAdministratorOpensAndClosesSelfRegistration() throws Exception {
    var admin = TestAccounts.create("keeper", "ADMIN");
    Api.put(
        "v1/admin/settings/registration",
        TestAccounts.admin().accessToken(),
        "{\"value\":\"closed\"}");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(admin.username(), admin.password());
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session:admin")));
      browser.open("/admin/settings.xhtml");
      for (String expected : new String[] {"open", "closed"}) {
        browser
            .wait
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#settings\\:registration .ui-chkbox-box")))
            .click();
        browser.driver.findElement(By.id("settings:save")).click();
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
        assertEquals(
            expected,
            Json.object(
                    Api.get("v1/admin/settings/registration", TestAccounts.admin().accessToken())
                        .body())
                .getString("value"));
      }
    }
  }

  @Test
  void aUserGetsForbiddenOnTheAdministrationPages() throws Exception {
    var user = TestAccounts.user("curious");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session:profile")));
      assertTrue(browser.driver.findElements(By.id("session:admin")).isEmpty(), "link shown");
      browser.open("/admin/users.xhtml");
      assertFalse(browser.driver.getPageSource().contains("users:table"));
      assertTrue(
          browser.driver.getPageSource().contains("Forbidden"), browser.driver.getPageSource());

      // every page of the administration, as the source tree has them
      List<String> pages;
      try (var files =
          java.nio.file.Files.list(java.nio.file.Path.of("../web/src/main/webapp/admin"))) {
        pages = files.map(file -> file.getFileName().toString()).sorted().toList();
      }
      assertTrue(
          pages.containsAll(List.of("dashboard.xhtml", "providers.xhtml", "users.xhtml")),
          pages.toString());
      for (String page : pages) {
        var response =
            Platform.HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(Platform.APP + "/admin/" + page))
                    .header("Cookie", "JSESSIONID=" + browser.sessionCookie())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode(), page + ": " + response.body());
      }
    }
  }
}
