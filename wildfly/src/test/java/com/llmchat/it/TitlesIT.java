package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversations named by their model after the first reply: in the question's language, without
 * test directives, once, the tokens the user's (reserved and recorded), never over a user's title.
 */
class TitlesIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void afterTheFirstReplyTheModelNamesTheConversationInTheQuestionsLanguage() throws Exception {
    String user = TestAccounts.user("namer").accessToken();
    long conversation = SseClient.untitled(user, "demo");
    long asked = Platform.simulator().titleRequests();
    var first =
        SseClient.send(user, conversation, "我们的数据模型需要在下周一更新吗？ [sim tokens=3 gap-ms=1]", null);
    assertEquals("complete", first.reply().getString("status"), first.events().toString());

    JsonObject named = awaitTitleFrom(user, conversation, "model");
    // the simulator names it as a model would: the question's first twelve characters
    assertEquals("我们的数据模型需要在下周", named.getString("title"));
    assertEquals(1, Platform.simulator().titleRequests() - asked);
    JsonObject request =
        Platform.simulator().recentCompletions().stream()
            .map(r -> Json.object(r.encode()))
            .filter(r -> r.toString().contains("You name chat conversations."))
            .findFirst()
            .orElseThrow();
    String quoted = request.getJsonArray("messages").getJsonObject(1).getString("content");
    assertTrue(quoted.startsWith("User: 我们的数据模型需要在下周一更新吗？\n"), quoted);
    assertFalse(quoted.contains("[sim"), quoted);

    // the title's tokens are the user's: a ledger row of the conversation without a message
    assertEquals(
        "1",
        Platform.queryOne(
            "select count(*) from usage_record where conversation_id = ? and message_id is null",
            conversation));
    // later replies ask for no other title
    SseClient.send(user, conversation, "再来一个 [sim tokens=2 gap-ms=1]", null);
    Thread.sleep(1_000);
    assertEquals(1, Platform.simulator().titleRequests() - asked);
  }

  @Test
  void aTitleTheUserSetIsNeverReplaced() throws Exception {
    String user = TestAccounts.user("decider").accessToken();
    long conversation = SseClient.untitled(user, "demo");
    Api.call("PATCH", "v1/conversations/" + conversation, user, "{\"title\":\"Mine\"}");
    SseClient.send(user, conversation, "Name this for me [sim tokens=2 gap-ms=1]", null);
    Thread.sleep(1_500);
    JsonObject view = view(user, conversation);
    assertEquals("Mine", view.getString("title"));
    assertEquals("user", view.getString("titleSource"));
  }

  @Test
  void withoutRoomInTheBudgetTheFirstMessageStaysTheTitle() throws Exception {
    var user = TestAccounts.user("frugal");
    BudgetsIT.budget("ACCOUNT", user.id(), "DAY", null, 1L);
    long conversation = SseClient.untitled(user.accessToken(), "demo");
    long asked = Platform.simulator().titleRequests();
    var only = SseClient.send(user.accessToken(), conversation, "Just one [sim tokens=2]", null);
    assertEquals("complete", only.reply().getString("status"), only.events().toString());
    Thread.sleep(1_500);
    JsonObject view = view(user.accessToken(), conversation);
    assertEquals("message", view.getString("titleSource"), view.toString());
    assertTrue(view.getString("title").startsWith("Just one"), view.toString());
    assertEquals(0, Platform.simulator().titleRequests() - asked, "no call beyond the budget");
  }

  private static JsonObject awaitTitleFrom(String user, long conversation, String source) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> view(user, conversation), v -> source.equals(v.getString("titleSource")));
  }

  private static JsonObject view(String user, long conversation) throws Exception {
    return Json.object(Api.get("v1/conversations/" + conversation, user).body());
  }
}
