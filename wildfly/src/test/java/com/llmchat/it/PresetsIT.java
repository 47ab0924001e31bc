package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Presets: a user's own, an administrator's shared with a group (invisible to others), starting a
 * conversation from one (its system prompt reaches the model), export and import, and the presets
 * directory loaded at start (LLMCHAT_PRESETS_DIR of the test run).
 */
class PresetsIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aUsersOwnPresetIsTheirsAlone() throws Exception {
    String owner = TestAccounts.user("maker").accessToken();
    var made =
        Api.post(
            "v1/presets",
            owner,
            "{\"name\":\"Reviewer\",\"model\":\"demo\",\"systemPrompt\":\"Review code.\","
                + "\"greeting\":\"Paste your diff.\",\"suggestions\":[\"Review this\"]}");
    assertEquals(201, made.statusCode(), made.body());
    long id = Json.object(made.body()).getJsonNumber("id").longValue();
    assertTrue(names(owner).contains("Reviewer"));

    String other = TestAccounts.user("bystander").accessToken();
    assertFalse(names(other).contains("Reviewer"));
    assertEquals(404, Api.get("v1/presets/" + id, other).statusCode());
    assertEquals(404, Api.call("PUT", "v1/presets/" + id, other, preset("Mine now")).statusCode());
    assertEquals(404, Api.delete("v1/presets/" + id, other).statusCode());
    assertEquals(
        404,
        Api.post("v1/conversations", other, "{\"presetId\":" + id + "}").statusCode(),
        "no conversation from another user's preset");
    assertEquals(409, Api.post("v1/presets", owner, preset("reviewer")).statusCode(), "names");
    assertEquals(204, Api.delete("v1/presets/" + id, owner).statusCode());
  }

  @Test
  void aPresetSharedWithAGroupIsInvisibleToOthersAndStartsConversations() throws Exception {
    var member = TestAccounts.user("insider");
    var outsider = TestAccounts.user("outsider");
    var group =
        Api.post(
            "v1/admin/groups",
            Tokens.admin(),
            "{\"name\":" + Api.q("legal-" + UUID.randomUUID().toString().substring(0, 6)) + "}");
    long groupId = Json.object(group.body()).getJsonNumber("id").longValue();
    Api.put("v1/admin/groups/" + groupId + "/members/" + member.id(), Tokens.admin(), null);
    String name = "Contracts " + UUID.randomUUID().toString().substring(0, 6);
    var published =
        Api.post(
            "v1/admin/presets",
            Tokens.admin(),
            "{\"preset\":{\"name\":"
                + Api.q(name)
                + ",\"model\":\"demo\",\"systemPrompt\":\"You read contracts.\","
                + "\"temperature\":0.3},\"everyone\":false,\"groups\":["
                + groupId
                + "]}");
    assertEquals(201, published.statusCode(), published.body());
    long id = Json.object(published.body()).getJsonNumber("id").longValue();

    assertTrue(names(member.accessToken()).contains(name));
    assertFalse(names(outsider.accessToken()).contains(name));
    // a preset opens no model: one naming a model nobody may use is offered to nobody
    String closed = "Closed " + UUID.randomUUID().toString().substring(0, 6);
    var unusable =
        Api.post(
            "v1/admin/presets",
            Tokens.admin(),
            "{\"preset\":{\"name\":" + Api.q(closed) + ",\"model\":\"gpt-9\"},\"everyone\":true}");
    assertEquals(201, unusable.statusCode(), unusable.body());
    assertFalse(names(member.accessToken()).contains(closed));
    assertEquals(404, Api.get("v1/presets/" + id, outsider.accessToken()).statusCode());
    assertEquals(
        404,
        Api.post("v1/conversations", outsider.accessToken(), "{\"presetId\":" + id + "}")
            .statusCode());
    // a user may use a shared preset, never change it
    assertEquals(
        404,
        Api.call("PUT", "v1/presets/" + id, member.accessToken(), preset("Changed")).statusCode());

    var started = Api.post("v1/conversations", member.accessToken(), "{\"presetId\":" + id + "}");
    assertEquals(201, started.statusCode(), started.body());
    JsonObject conversation = Json.object(started.body());
    assertEquals(id, conversation.getJsonNumber("presetId").longValue());
    assertEquals("You read contracts.", conversation.getString("systemPrompt"));
    assertEquals(0.3, conversation.getJsonNumber("temperature").doubleValue());
    var reply =
        SseClient.send(
            member.accessToken(),
            conversation.getJsonNumber("id").longValue(),
            "Is this clause fine? [sim tokens=2 gap-ms=1]",
            null);
    assertEquals("complete", reply.reply().getString("status"), reply.events().toString());
    JsonObject asked = Json.object(Platform.simulator().lastCompletion().encode());
    JsonObject system = asked.getJsonArray("messages").getJsonObject(0);
    assertEquals("system", system.getString("role"));
    assertEquals("You read contracts.", system.getString("content"));
    assertEquals(
        "1",
        Platform.queryOne(
            "select count(*) from audit_event where action = 'preset-publish' and target = ?",
            name));
  }

  @Test
  void badPresetsAreRefusedSayingWhy() throws Exception {
    String user = TestAccounts.user("sloppy").accessToken();
    for (String body :
        List.of(
            "{\"name\":\" \",\"model\":\"demo\"}",
            "{\"name\":\"x\",\"model\":\"demo\",\"temperature\":3}",
            "{\"name\":\"x\",\"model\":\"demo\",\"suggestions\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]}",
            "{\"name\":\"x\",\"model\":\"demo\",\"suggestions\":[\"two\\nlines\"]}")) {
      var refused = Api.post("v1/presets", user, body);
      assertEquals(400, refused.statusCode(), body + " → " + refused.body());
      assertEquals(
          "application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
    }
    var unknown = Api.post("v1/presets", user, "{\"name\":\"x\",\"model\":\"gpt-9\"}");
    assertEquals(404, unknown.statusCode(), "a model the user may not use: " + unknown.body());
  }

  @Test
  void ownPresetsExportAndImportBack() throws Exception {
    String user = TestAccounts.user("porter").accessToken();
    Api.post(
        "v1/presets",
        user,
        "{\"name\":\"Poet 诗人\",\"model\":\"demo\",\"description\":\"Verse\",\"maxTokens\":100,"
            + "\"suggestions\":[\"写一首诗\",\"A haiku\"]}");
    var exported = Api.get("v1/presets/export", user);
    assertEquals(200, exported.statusCode(), exported.body());
    assertTrue(
        exported.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
    JsonArray before = Json.object(exported.body()).getJsonArray("presets");

    long id =
        Json.array(Api.get("v1/presets", user).body())
            .getJsonObject(0)
            .getJsonNumber("id")
            .longValue();
    Api.delete("v1/presets/" + id, user);
    var imported = Api.post("v1/presets/import", user, exported.body());
    assertEquals(201, imported.statusCode(), imported.body());
    assertEquals(1, Json.object(imported.body()).getInt("created"));
    var again = Api.post("v1/presets/import", user, exported.body());
    assertEquals(1, Json.object(again.body()).getInt("replaced"), "by name, not twice");
    assertEquals(
        before, Json.object(Api.get("v1/presets/export", user).body()).getJsonArray("presets"));
    assertEquals(400, Api.post("v1/presets/import", user, "{\"presets\":1}").statusCode());
  }

  @Test
  void thePresetsDirectoryIsLoadedAtStartForEverybody() throws Exception {
    String user = TestAccounts.user("newcomer").accessToken();
    JsonObject loaded =
        Json.array(Api.get("v1/presets", user).body()).stream()
            .map(v -> v.asJsonObject())
            .filter(p -> p.getString("name").equals("翻译助手 Translator"))
            .findFirst()
            .orElseThrow();
    assertTrue(loaded.getBoolean("shared"));
    assertEquals(2, loaded.getJsonArray("suggestions").size());
    assertTrue(loaded.getString("greeting").startsWith("把要翻译的文字发给我"));
    assertTrue(
        Integer.parseInt(
                Platform.queryOne(
                    "select count(*) from audit_event where action = 'presets-load'"
                        + " and target = 'company.json'"))
            >= 1);
  }

  @Test
  void inTheChatAPresetsCardStartsAConversationWithItsGreetingAndSuggestions() throws Exception {
    var user = TestAccounts.user("greeted");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      new ChatPage(browser).ready();
      WebElement card =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(
                  By.xpath("//button[@class='preset-start'][contains(., '翻译助手 Translator')]")));
      browser.screenshot("chat-presets.png");
      card.click();
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));
      assertTrue(
          browser.driver.findElement(By.id("greeting-text")).getText().startsWith("把要翻译的文字发给我"));
      assertEquals("demo", browser.driver.findElement(By.id("model")).getAttribute("value"));
      browser.driver.findElement(By.cssSelector("#suggestions .suggestion")).click();
      var chat = new ChatPage(browser);
      chat.awaitLastReply("complete");
      // no directive: the demo model answers in the question's language with all it can show
      WebElement reply = chat.lastReply();
      assertEquals("你好，我是演示模型", reply.findElement(By.cssSelector(".content h2")).getText());
      assertEquals(1, reply.findElements(By.cssSelector(".content table")).size());
      assertEquals(1, reply.findElements(By.cssSelector(".content pre code.hljs")).size());
      assertTrue(
          reply
              .findElement(By.cssSelector(".reasoning-text"))
              .getAttribute("textContent")
              .startsWith("用户在和演示模型对话"));
      browser.screenshot("chat-demo-answer.png");
      assertEquals(List.of(), browser.cspViolations());
    }
    var conversation =
        Json.object(Api.get("v1/conversations", user.accessToken()).body())
            .getJsonArray("items")
            .getJsonObject(0);
    assertTrue(conversation.containsKey("presetId"), conversation.toString());
    assertTrue(
        conversation.getString("systemPrompt").startsWith("You translate"),
        conversation.toString());
    var messages =
        Json.object(
                Api.get(
                        "v1/conversations/" + conversation.getJsonNumber("id") + "/messages",
                        user.accessToken())
                    .body())
            .getJsonArray("items");
    assertEquals("翻译：今天天气很好", messages.getJsonObject(0).getString("content"));
  }

  @Test
  void anAdministratorPublishesAPresetOnTheAdministrationPage() throws Exception {
    String name = "Onboarding " + UUID.randomUUID().toString().substring(0, 6);
    try (Browser browser = new Browser()) {
      browser.logInAndOpen(
          "/admin/presets.xhtml", TestAccounts.admin().username(), TestAccounts.admin().password());
      browser.type(Browser.input("presets:name"), name);
      browser.type(Browser.input("presets:description"), "For new colleagues");
      new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("presets:model")))
          .selectByValue("demo");
      browser.type(By.id("presets:greeting"), "Welcome! Ask me about the company.");
      browser.type(
          By.id("presets:suggestions"), "Where is the canteen?\nWho do I ask for a laptop?");
      browser.driver.findElement(By.id("presets:save")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("presets:table"), name));
      browser.screenshot("admin-presets.png");
      assertEquals(List.of(), browser.cspViolations());
    }
    String user = TestAccounts.user("colleague").accessToken();
    JsonObject published =
        Json.array(Api.get("v1/presets", user).body()).stream()
            .map(v -> v.asJsonObject())
            .filter(p -> p.getString("name").equals(name))
            .findFirst()
            .orElseThrow();
    assertEquals("demo", published.getString("model"));
    assertEquals(2, published.getJsonArray("suggestions").size(), published.toString());
  }

  private static List<String> names(String token) throws Exception {
    var list = Api.get("v1/presets", token);
    assertEquals(200, list.statusCode(), list.body());
    return Json.array(list.body()).stream().map(v -> v.asJsonObject().getString("name")).toList();
  }

  private static String preset(String name) {
    return "{\"name\":" + Api.q(name) + ",\"model\":\"demo\"}";
  }
}
