package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Personal API keys: made by their owner with the secret shown once, listed by prefix, limited to
 * models the owner may use, revoked by the owner or an administrator, audited.
 */
class ApiKeysIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  private static HttpResponse<String> create(String token, String body) throws Exception {
    return Api.post("v1/keys", token, body);
  }

  private static JsonObject created(String token, String body) throws Exception {
    HttpResponse<String> response = create(token, body);
    assertEquals(201, response.statusCode(), response.body());
    return Json.object(response.body());
  }

  private static String problem(HttpResponse<String> response) {
    String type = Json.object(response.body()).getString("type");
    return type.substring(type.lastIndexOf('/') + 1);
  }

  @Test
  void theSecretIsShownOnceAndListsShowItsPrefix() throws Exception {
    var user = TestAccounts.user("keys");
    HttpResponse<String> response = create(user.accessToken(), "{\"name\":\"RAG service\"}");
    assertEquals(201, response.statusCode(), response.body());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
    JsonObject made = Json.object(response.body());
    String secret = made.getString("secret");
    assertTrue(secret.matches("sk-llmchat-[0-9A-Za-z]{43}"), secret);
    JsonObject key = made.getJsonObject("key");
    assertEquals("RAG service", key.getString("name"));
    assertEquals(secret.substring(0, 17), key.getString("prefix"));
    assertEquals("active", key.getString("status"));
    assertEquals(user.username(), key.getString("owner"));
    assertEquals(List.of(), key.getJsonArray("models"));

    String listed = Api.get("v1/keys", user.accessToken()).body();
    assertTrue(listed.contains(key.getString("prefix")), listed);
    assertFalse(listed.contains(secret), "the secret came back in a list");
    String admin = Api.get("v1/admin/keys?search=" + user.username(), Tokens.admin()).body();
    assertTrue(admin.contains(key.getString("prefix")), admin);
    assertFalse(admin.contains(secret), "the secret came back in the administrators' list");
    assertEquals(
        "0",
        Platform.queryOne(
            "select count(*) from api_key where secret_hash = ? or prefix = ?", secret, secret),
        "the secret itself is stored");
  }

  @Test
  void aKeyIsLimitedOnlyToModelsItsOwnerMayUseAndExpiresInTheFuture() throws Exception {
    String user = TestAccounts.user("limited").accessToken();
    String expiry = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).toString();
    JsonObject key =
        created(
                user,
                "{\"name\":\"Only demo\",\"models\":[\"demo\"],\"expiresAt\":"
                    + Api.q(expiry)
                    + "}")
            .getJsonObject("key");
    assertEquals(1, key.getJsonArray("models").size(), key.toString());
    assertEquals("demo", key.getJsonArray("models").getString(0));
    assertEquals(
        OffsetDateTime.parse(expiry).toInstant(),
        OffsetDateTime.parse(key.getString("expiresAt")).toInstant());

    var unknown = create(user, "{\"name\":\"Other\",\"models\":[\"no-such-model\"]}");
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals("unknown-model", problem(unknown));

    var past =
        create(
            user,
            "{\"name\":\"Old\",\"expiresAt\":"
                + Api.q(OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString())
                + "}");
    assertEquals(400, past.statusCode(), past.body());
    assertEquals("invalid-request", problem(past));

    var nameless = create(user, "{\"name\":\"  \"}");
    assertEquals(400, nameless.statusCode(), nameless.body());
  }

  @Test
  void theOwnerAndAnAdministratorRevokeAndAnotherUserCannot() throws Exception {
    var owner = TestAccounts.user("revoker");
    long first =
        created(owner.accessToken(), "{\"name\":\"Script\"}")
            .getJsonObject("key")
            .getJsonNumber("id")
            .longValue();
    long second =
        created(owner.accessToken(), "{\"name\":\"Agent\"}")
            .getJsonObject("key")
            .getJsonNumber("id")
            .longValue();

    String other = TestAccounts.user("not-owner").accessToken();
    var refused = Api.delete("v1/keys/" + first, other);
    assertEquals(404, refused.statusCode(), refused.body());
    assertEquals("api-key-not-found", problem(refused));

    var revoked = Api.delete("v1/keys/" + first, owner.accessToken());
    assertEquals(200, revoked.statusCode(), revoked.body());
    assertEquals("revoked", Json.object(revoked.body()).getString("status"));
    assertEquals(owner.username(), Json.object(revoked.body()).getString("revokedBy"));

    var byAdmin = Api.delete("v1/admin/keys/" + second, Tokens.admin());
    assertEquals(200, byAdmin.statusCode(), byAdmin.body());
    assertEquals("revoked", Json.object(byAdmin.body()).getString("status"));
    assertEquals("admin", Json.object(byAdmin.body()).getString("revokedBy"));

    var listed = Json.array(Api.get("v1/keys", owner.accessToken()).body());
    assertEquals(2, listed.size(), listed.toString());
    for (JsonValue key : listed) {
      assertEquals("revoked", key.asJsonObject().getString("status"), listed.toString());
    }
    String audit = Api.get("v1/admin/audit?action=api-key-revoke&limit=50", Tokens.admin()).body();
    assertTrue(audit.contains("of " + owner.username() + ": Script"), audit);
    assertTrue(audit.contains("of " + owner.username() + ": Agent"), audit);
    String creations =
        Api.get("v1/admin/audit?action=api-key-create&limit=50", Tokens.admin()).body();
    assertTrue(creations.contains(owner.username()), creations);
  }

  @Test
  void anAccountWithKeysIsDeletedWithThem() throws Exception {
    var user = TestAccounts.user("leaver");
    created(user.accessToken(), "{\"name\":\"Limited\",\"models\":[\"demo\"]}");
    var deleted = Api.delete("v1/admin/users/" + user.id(), Tokens.admin());
    assertEquals(204, deleted.statusCode(), deleted.body());
    String left = Api.get("v1/admin/keys?search=" + user.username(), Tokens.admin()).body();
    assertEquals("[]", left);
  }

  @Test
  void aUserHoldsAtMostFiftyKeysAtOnce() throws Exception {
    String user = TestAccounts.user("hoarder").accessToken();
    long last = 0;
    for (int i = 0; i < 50; i++) {
      last =
          created(user, "{\"name\":\"Key " + i + "\"}")
              .getJsonObject("key")
              .getJsonNumber("id")
              .longValue();
    }
    var refused = create(user, "{\"name\":\"One more\"}");
    assertEquals(409, refused.statusCode(), refused.body());
    assertEquals("too-many-api-keys", problem(refused));

    assertEquals(200, Api.delete("v1/keys/" + last, user).statusCode());
    created(user, "{\"name\":\"In its place\"}");
  }

  @Test
  void aUserMakesAndRevokesAKeyInTheBrowserAndAnAdministratorSeesIt() throws Exception {
    var user = TestAccounts.user("key-page");
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/", user.username(), user.password());
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("session:keys"))).click();
      browser.type(Browser.input("keys:name"), "Notebook");
      browser.driver.findElement(By.id("keys:add")).click();
      String secret =
          browser
              .wait
              .until(ExpectedConditions.visibilityOfElementLocated(By.id("keys:value")))
              .getText();
      Secrets.remember(secret);
      assertTrue(secret.matches("sk-llmchat-[0-9A-Za-z]{43}"), secret);
      assertEquals("Notebook", browser.driver.findElement(By.id("keys:for")).getText());
      String table = browser.driver.findElement(By.id("keys:table")).getText();
      assertTrue(table.contains(secret.substring(0, 17)), table);
      assertFalse(table.contains(secret), "the table shows the whole secret");
      browser.screenshot("account-keys.png");

      browser.driver.findElement(By.cssSelector("#keys\\:table .revoke")).click();
      browser
          .wait
          .until(ExpectedConditions.elementToBeClickable(By.cssSelector(".ui-confirmdialog-yes")))
          .click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#keys\\:table .status"), "Revoked"));
    }
    var admin = TestAccounts.create("key-keeper", "ADMIN");
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/admin/keys.xhtml", admin.username(), admin.password());
      browser.type(Browser.input("keys:search"), user.username());
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#keys\\:table .owner"), user.username()));
      // the search box may refresh the table more than once: find it afresh on every look
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("keys:table"), "Revoked"));
      browser.screenshot("admin-keys.png");
    }
  }
}
