package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversations exported as Markdown and JSON, imported back (into another account, as into another
 * installation) equal, ChatGPT's export imported, and an administrator's export of a user's data.
 */
class TransferIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void oneConversationIsAMarkdownAttachment() throws Exception {
    String user = TestAccounts.user("writer").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    SseClient.send(user, conversation, "Export me <b>please</b> [sim tokens=4 gap-ms=1]", null);
    var file = Api.get("v1/conversations/" + conversation + "/export", user);
    assertEquals(200, file.statusCode(), file.body());
    assertTrue(file.headers().firstValue("Content-Type").orElse("").startsWith("text/markdown"));
    assertEquals(
        "attachment; filename=\"conversation-" + conversation + ".md\"",
        file.headers().firstValue("Content-Disposition").orElse(""));
    assertTrue(file.body().startsWith("# Test conversation\n"), file.body());
    assertTrue(file.body().contains("Export me <b>please</b>"), file.body());
    assertTrue(file.body().contains("## Assistant (demo)"), file.body());

    String stranger = TestAccounts.user("peeker").accessToken();
    assertEquals(
        404, Api.get("v1/conversations/" + conversation + "/export", stranger).statusCode());
  }

  @Test
  void anExportImportedElsewhereIsEqual() throws Exception {
    String source = TestAccounts.user("mover").accessToken();
    long first = SseClient.conversation(source, "demo");
    SseClient.send(source, first, "First question [sim tokens=3 gap-ms=1]", null);
    SseClient.send(source, first, "Second question [sim tokens=2 gap-ms=1]", null);
    long second = SseClient.conversation(source, "demo");
    Api.call(
        "PATCH",
        "v1/conversations/" + second,
        source,
        "{\"title\":\"设置\",\"systemPrompt\":\"Answer in haiku\",\"temperature\":0.4}");
    SseClient.send(source, second, "中文问题 [sim tokens=2 gap-ms=1]", null);

    var exported = Api.get("v1/conversations/export?format=json", source);
    assertEquals(200, exported.statusCode(), exported.body());
    JsonObject file = Json.object(exported.body());
    assertEquals("llmchat-conversations", file.getString("format"));
    assertEquals(2, file.getJsonArray("conversations").size(), exported.body());

    String target = TestAccounts.user("receiver").accessToken();
    var imported = Api.post("v1/conversations/import", target, exported.body());
    assertEquals(201, imported.statusCode(), imported.body());
    assertEquals(2, Json.object(imported.body()).getInt("conversations"));
    assertEquals(6, Json.object(imported.body()).getInt("messages"));

    JsonArray again =
        Json.object(Api.get("v1/conversations/export?format=json", target).body())
            .getJsonArray("conversations");
    assertEquals(file.getJsonArray("conversations"), again, "what came in is what went out");
    // imported conversations are found like any
    var found = Json.object(Api.get("v1/search?q=%E4%B8%AD%E6%96%87", target).body());
    assertEquals(1, found.getJsonArray("messages").size(), found.toString());
  }

  @Test
  void chatGptsExportIsImported() throws Exception {
    String user = TestAccounts.user("switcher").accessToken();
    String file =
        Files.readString(Path.of("../ejb/src/test/resources/transfer/chatgpt-conversations.json"));
    var imported = Api.post("v1/conversations/import", user, file);
    assertEquals(201, imported.statusCode(), imported.body());
    JsonObject made = Json.object(imported.body());
    assertEquals(2, made.getInt("conversations"));
    long id = made.getJsonArray("ids").getJsonNumber(0).longValue();
    var conversation = Json.object(Api.get("v1/conversations/" + id, user).body());
    assertEquals("数据模型的更新", conversation.getString("title"));
    var messages =
        Json.object(Api.get("v1/conversations/" + id + "/messages", user).body())
            .getJsonArray("items");
    assertEquals(2, messages.size(), messages.toString());
    assertEquals("我们的数据模型需要更新吗？", messages.getJsonObject(0).getString("content"));
    assertEquals("需要。先备份，再升级。", messages.getJsonObject(1).getString("content"));
    assertEquals("2024-12-05T09:00:00.123456Z", conversation.getString("createdAt"));
  }

  @Test
  void aFileThatIsNeitherIsRefusedSayingWhyAndNothingIsImported() throws Exception {
    String user = TestAccounts.user("careful").accessToken();
    for (String file :
        new String[] {
          "not json",
          "{\"hello\":1}",
          "{\"format\":\"llmchat-conversations\",\"version\":1,\"conversations\":[{\"title\":\"ok\","
              + "\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"fine\"}]},"
              + "{\"title\":\"bad\",\"model\":\"demo\",\"messages\":[{\"role\":\"tool\"}]}]}"
        }) {
      var refused = Api.post("v1/conversations/import", user, file);
      assertEquals(400, refused.statusCode(), refused.body());
      assertEquals(
          "application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
    }
    var list = Json.object(Api.get("v1/conversations", user).body());
    assertTrue(list.getJsonArray("items").isEmpty(), "all or nothing: " + list);
  }

  @Test
  void anAdministratorExportsAUsersConversations() throws Exception {
    var user = TestAccounts.user("subject");
    long conversation = SseClient.conversation(user.accessToken(), "demo");
    SseClient.send(user.accessToken(), conversation, "Personal data [sim tokens=2]", null);
    var export = Api.get("v1/admin/users/" + user.id() + "/conversations/export", Tokens.admin());
    assertEquals(200, export.statusCode(), export.body());
    assertTrue(export.body().contains("Personal data"), export.body());
    assertEquals(
        403,
        Api.get("v1/admin/users/" + user.id() + "/conversations/export", user.accessToken())
            .statusCode());
    assertEquals(
        "1",
        Platform.queryOne(
            "select count(*) from audit_event where action = 'user-data-exported' and target = ?",
            "account " + user.id()));
  }
}
