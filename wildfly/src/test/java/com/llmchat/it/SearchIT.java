package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History search through {@code GET /api/v1/search}: Chinese without spaces and English, every word
 * required, only the caller's own current messages, titles, pages, bad queries.
 */
class SearchIT extends DeployedEar {

  private static String owner;
  private static String stranger;
  private static long chinese;
  private static long english;

  @BeforeAll
  static void conversations() throws Exception {
    Platform.simulator();
    owner = TestAccounts.user("finder").accessToken();
    stranger = TestAccounts.user("stranger").accessToken();
    chinese = SseClient.conversation(owner, "demo");
    SseClient.send(owner, chinese, "我们的数据模型需要在下周一更新 [sim tokens=2 gap-ms=1]", null);
    english = SseClient.conversation(owner, "demo");
    SseClient.send(owner, english, "The Kubernetes cluster restarted twice [sim tokens=6]", null);
    Api.call("PATCH", "v1/conversations/" + english, owner, "{\"title\":\"Quarterly 数据 report\"}");
    long other = SseClient.conversation(stranger, "demo");
    SseClient.send(stranger, other, "别人的数据模型 and their Kubernetes cluster [sim tokens=2]", null);
  }

  @Test
  void chineseIsFoundWithoutSpacesAndTheWordsAreMarked() throws Exception {
    JsonObject found = search(owner, "数据模型");
    JsonArray messages = found.getJsonArray("messages");
    assertEquals(1, messages.size(), found.toString());
    JsonObject hit = messages.getJsonObject(0);
    assertEquals(chinese, hit.getJsonNumber("conversationId").longValue());
    assertEquals("user", hit.getString("role"));
    String snippet = hit.getString("snippet");
    assertTrue(snippet.startsWith("我们的数据模型需要"), snippet);
    JsonArray range = hit.getJsonArray("highlights").getJsonArray(0);
    assertEquals("数据模型", snippet.substring(range.getInt(0), range.getInt(1)));

    assertEquals(1, search(owner, "模").getJsonArray("messages").size(), "one character");
    assertEquals(1, search(owner, "周一").getJsonArray("messages").size());
    assertEquals(
        0,
        search(owner, "模型数据").getJsonArray("messages").size(),
        "the same characters in another order are other words");
  }

  @Test
  void englishIsFoundInAnyCaseAndEveryWordIsRequired() throws Exception {
    JsonArray messages = search(owner, "KUBERNETES restart").getJsonArray("messages");
    assertEquals(1, messages.size(), messages.toString());
    assertEquals(english, messages.getJsonObject(0).getJsonNumber("conversationId").longValue());
    assertEquals("Quarterly 数据 report", messages.getJsonObject(0).getString("conversationTitle"));
    assertEquals(0, search(owner, "kubernetes restarted never").getJsonArray("messages").size());
  }

  @Test
  void anotherUsersMessagesAreNeverFound() throws Exception {
    for (JsonObject found : List.of(search(owner, "别人"), search(owner, "their"))) {
      assertEquals(0, found.getJsonArray("messages").size(), found.toString());
    }
    JsonArray theirs = search(stranger, "数据模型").getJsonArray("messages");
    assertEquals(1, theirs.size(), theirs.toString());
    assertTrue(theirs.getJsonObject(0).getString("snippet").startsWith("别人的"));
  }

  @Test
  void repliesAreFoundAsWellAsQuestions() throws Exception {
    JsonArray messages = search(owner, "simulated").getJsonArray("messages");
    assertFalse(messages.isEmpty(), messages.toString());
    messages.forEach(hit -> assertEquals("assistant", hit.asJsonObject().getString("role")));
  }

  @Test
  void titlesAreFoundOnTheFirstPage() throws Exception {
    JsonArray titles = search(owner, "quarterly").getJsonArray("conversations");
    assertEquals(1, titles.size(), titles.toString());
    assertEquals(english, titles.getJsonObject(0).getJsonNumber("conversationId").longValue());
    JsonArray range = titles.getJsonObject(0).getJsonArray("highlights").getJsonArray(0);
    assertEquals(List.of(0, 9), List.of(range.getInt(0), range.getInt(1)));
  }

  @Test
  void anEditedMessageIsFoundByItsNewTextOnly() throws Exception {
    String user = TestAccounts.user("reviser").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var sent = SseClient.send(user, conversation, "Draft mentions zeppelin [sim tokens=2]", null);
    long question =
        Json.object(sent.named("message").get(0).data())
            .getJsonObject("question")
            .getJsonNumber("id")
            .longValue();
    SseClient.stream(
        user,
        "v1/conversations/" + conversation + "/messages/" + question + "/edit",
        "{\"content\":\"Final mentions dirigible [sim tokens=2]\"}");
    assertEquals(0, search(user, "zeppelin").getJsonArray("messages").size());
    assertEquals(1, search(user, "dirigible").getJsonArray("messages").size());
  }

  @Test
  void resultsComeInPagesNewestFirst() throws Exception {
    String user = TestAccounts.user("pager").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    for (int i = 1; i <= 3; i++) {
      SseClient.send(user, conversation, "paged marmalade " + i + " [sim tokens=1]", null);
    }
    JsonObject first = get(user, "v1/search?q=marmalade&limit=2");
    JsonArray firstHits = first.getJsonArray("messages");
    assertEquals(2, firstHits.size(), first.toString());
    assertTrue(firstHits.getJsonObject(0).getString("snippet").contains("3"));
    assertNotNull(first.get("next"));
    JsonObject second =
        get(user, "v1/search?q=marmalade&limit=2&before=" + first.getJsonNumber("next"));
    assertEquals(1, second.getJsonArray("messages").size(), second.toString());
    assertTrue(second.getJsonArray("messages").getJsonObject(0).getString("snippet").contains("1"));
    assertFalse(second.containsKey("next") && !second.isNull("next"), second.toString());
    assertTrue(second.getJsonArray("conversations").isEmpty(), "titles on the first page only");
  }

  /**
   * More messages than the newest-first window (1,000): older matches come from the index, and a
   * page that starts in the window ends there.
   */
  @Test
  void oldMessagesBeyondTheNewestThousandAreFoundThroughTheIndex() throws Exception {
    String user = TestAccounts.user("historian").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    // ids as an older version stored them, newest (highest) first: n = 0 is the newest
    Platform.update(
        "insert into message (id, conversation_id, owner_id, position, role, content, status,"
            + " superseded, created_at, completed_at, version)"
            + " select -(c.id * 10000 + n), c.id, c.owner_id, 1499 - n,"
            + " case when n % 2 = 0 then 'USER' else 'ASSISTANT' end,"
            + " case when n = 1400 then '古老的秘密 an ancient secret'"
            + " when n % 500 = 7 then 'sparse marker ' || n else 'filler text ' || n end,"
            + " 'COMPLETE', false, now(), now(), 1"
            + " from generate_series(0, 1499) n, conversation c where c.id = ?",
        conversation);
    Platform.update("update conversation set next_position = 1500 where id = ?", conversation);

    for (String query : List.of("秘密", "ancient SECRET")) {
      JsonArray found = search(user, query).getJsonArray("messages");
      assertEquals(1, found.size(), query + ": " + found);
      assertTrue(found.getJsonObject(0).getString("snippet").contains("古老的秘密"));
    }
    JsonObject page = get(user, "v1/search?q=sparse&limit=5");
    assertEquals(
        List.of("sparse marker 7", "sparse marker 507", "sparse marker 1007"),
        page.getJsonArray("messages").stream()
            .map(hit -> hit.asJsonObject().getString("snippet"))
            .toList(),
        "two in the window, one through the index, newest first");
    JsonObject first = get(user, "v1/search?q=filler&limit=3");
    assertEquals(3, first.getJsonArray("messages").size());
    JsonObject next = get(user, "v1/search?q=filler&limit=3&before=" + first.getJsonNumber("next"));
    assertEquals(
        "filler text 3",
        next.getJsonArray("messages").getJsonObject(0).getString("snippet"),
        "the page after filler text 0, 1, 2");
  }

  @Test
  void aBlankOrTooLongQueryIsABadRequest() throws Exception {
    for (String query : List.of("", "%20%20", "x".repeat(201))) {
      var response = Api.get("v1/search?q=" + query, owner);
      assertEquals(400, response.statusCode(), response.body());
      assertEquals(
          "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    }
    assertEquals(401, Api.get("v1/search?q=x", null).statusCode());
  }

  @Test
  void punctuationAloneFindsNoMessage() throws Exception {
    JsonObject found = search(owner, "!!! ，。");
    assertTrue(found.getJsonArray("messages").isEmpty(), found.toString());
  }

  private static JsonObject search(String token, String query) throws Exception {
    return get(token, "v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
  }

  private static JsonObject get(String token, String path) throws Exception {
    var response = Api.get(path, token);
    assertEquals(200, response.statusCode(), response.body());
    return Json.object(response.body());
  }
}
