package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversations and the relay as users see them after a reload: what is stored when the reply
 * completes, breaks off, is stopped or is abandoned; idempotent sends; regenerate and edit.
 */
class ConversationsIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aReplyIsStoredWithTheQuestionAndItsUsage() throws Exception {
    String user = TestAccounts.user("reader").accessToken();
    long conversation = SseClient.untitled(user, "demo");
    var result = SseClient.send(user, conversation, "Store me [sim tokens=6 gap-ms=5]", null);
    assertEquals("complete", result.reply().getString("status"), result.events().toString());

    List<JsonObject> messages = messages(user, conversation);
    assertEquals(2, messages.size());
    assertEquals("user", messages.get(0).getString("role"));
    assertEquals("Store me [sim tokens=6 gap-ms=5]", messages.get(0).getString("content"));
    JsonObject reply = messages.get(1);
    assertEquals("assistant", reply.getString("role"));
    assertEquals("complete", reply.getString("status"));
    assertEquals("This is a simulated answer from", reply.getString("content"));
    assertEquals(6, reply.getInt("completionTokens"));
    assertEquals("stop", reply.getString("finishReason"));
    assertTrue(reply.containsKey("firstTokenMs"), reply.toString());
    // the first message names an untitled conversation
    var view = Json.object(Api.get("v1/conversations/" + conversation, user).body());
    assertTrue(view.getString("title").startsWith("Store me"), view.toString());
  }

  @Test
  void theReasoningTokensTheModelServerReportsAreRecorded() throws Exception {
    String user = TestAccounts.user("thinker").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var result =
        SseClient.send(
            user, conversation, "Think [sim tokens=3 reasoning-tokens=4 gap-ms=1]", null);
    assertEquals("complete", result.reply().getString("status"), result.events().toString());
    // reported: 4 (an estimate of "thinking0 thinking1 thinking2 thinking3" would be more)
    assertEquals(
        "4",
        Platform.queryOne(
            "select reasoning_tokens from usage_record where message_id = ?", result.replyId()));
  }

  @Test
  void anUpstreamResetKeepsThePartialReplyAsInterrupted() throws Exception {
    String user = TestAccounts.user("reset").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var result =
        SseClient.send(user, conversation, "Break [sim tokens=20 gap-ms=5 fault=reset:5]", null);
    assertEquals(1, result.named("error").size(), result.events().toString());
    assertTrue(result.content().startsWith("This is a"), result.content());

    List<JsonObject> messages = messages(user, conversation);
    assertEquals(2, messages.size(), "no duplicate after the failure");
    JsonObject reply = messages.get(1);
    assertEquals("interrupted", reply.getString("status"));
    assertEquals(result.content(), reply.getString("content"));
    assertTrue(reply.getString("error").contains("broke off"), reply.toString());
  }

  @Test
  void aRefusedRequestIsStoredAsFailedWithTheReason() throws Exception {
    String user = TestAccounts.user("refused").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var result = SseClient.send(user, conversation, "No [sim fault=http-500]", null);
    assertEquals("failed", result.reply().getString("status"), result.events().toString());
    assertTrue(result.reply().getString("error").contains("HTTP 500"), result.reply().toString());
  }

  @Test
  void clientDisconnectInterruptsTheReplyAndCountsOnlyWhatWasGenerated() throws Exception {
    long conversation = StreamingIT.hangUpAfterTwoTokens("long [sim tokens=300 gap-ms=100]");
    // after the resume window, in which nobody came back for it
    Awaitility.await()
        .atMost(Duration.ofSeconds(5 + StreamingIT.RESUME_WINDOW_SECONDS))
        .until(
            () -> messages(Tokens.user(), conversation).get(1).getString("status"),
            "interrupted"::equals);
    JsonObject reply = messages(Tokens.user(), conversation).get(1);
    // the simulator sends no usage unless asked: the ledger estimates what arrived
    int completion = reply.getInt("completionTokens");
    // 2 tokens read, then about 30 more in the 3 s window
    assertTrue(completion >= 1 && completion < 100, completion + " tokens for ~32 of 300");
  }

  @Test
  void stopEndsTheReplyWithinTwoSecondsAndKeepsItsText() throws Exception {
    String user = TestAccounts.user("stopper").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    long abandoned = StreamingIT.simulatorStat("abandonedStreams");
    var deltas = new java.util.concurrent.atomic.AtomicInteger();
    var stopped = new java.util.concurrent.atomic.AtomicReference<String>();
    SseClient.Result result =
        SseClient.stream(
            user,
            "v1/conversations/" + conversation + "/messages",
            "{\"content\":\"Go on [sim tokens=300 gap-ms=50]\"}",
            event -> {
              if (event.name().equals("delta") && deltas.incrementAndGet() == 2) {
                long reply = replyIdOf(conversation, user);
                try {
                  stopped.set(
                      Api.post(
                              "v1/conversations/" + conversation + "/messages/" + reply + "/stop",
                              user,
                              null)
                          .body());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            });
    assertTrue(Json.object(stopped.get()).getBoolean("stopped"), stopped.get());
    Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> StreamingIT.simulatorStat("abandonedStreams") > abandoned);
    assertEquals("interrupted", result.reply().getString("status"));
    assertTrue(result.content().startsWith("This is"), result.content());
    assertTrue(result.named("delta").size() < 100, "the stream went on after the stop");
    assertEquals(result.content(), result.reply().getString("content"));
    assertEquals("interrupted", messages(user, conversation).get(1).getString("status"));
  }

  private static long replyIdOf(long conversation, String user) {
    try {
      return messages(user, conversation).get(1).getJsonNumber("id").longValue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tenParallelSendsWithOneClientIdMakeOneMessageAndOneUpstreamCall() throws Exception {
    String user = TestAccounts.user("twitchy").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    String clientId = UUID.randomUUID().toString();
    long requests = StreamingIT.simulatorRequests();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> sends = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        Callable<Integer> send =
            () -> {
              start.await();
              var response =
                  Platform.HTTP.send(
                      Platform.json(
                              Platform.APP + "/api/v1/conversations/" + conversation + "/messages",
                              user)
                          .POST(
                              java.net.http.HttpRequest.BodyPublishers.ofString(
                                  "{\"content\":\"Once [sim tokens=5 gap-ms=100]\","
                                      + "\"clientMessageId\":"
                                      + Api.q(clientId)
                                      + "}"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString());
              return response.statusCode();
            };
        sends.add(pool.submit(send));
      }
      start.countDown();
      for (Future<Integer> send : sends) {
        int status = send.get();
        assertTrue(status == 200 || status == 409, "status " + status);
      }
    } finally {
      pool.shutdownNow();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> messages(user, conversation).get(1).getString("status"), "complete"::equals);
    List<JsonObject> messages = messages(user, conversation);
    assertEquals(2, messages.size(), messages.toString());
    assertEquals(1, StreamingIT.simulatorRequests() - requests, "upstream calls");

    // a resend after the reply came: the stored reply again, no model call
    var again = SseClient.send(user, conversation, "Once [sim tokens=5 gap-ms=100]", clientId);
    assertEquals(messages.get(1).getJsonNumber("id").longValue(), again.replyId());
    assertEquals(messages.get(1).getString("content"), again.content());
    assertEquals(1, StreamingIT.simulatorRequests() - requests, "upstream calls after a resend");
  }

  @Test
  void regenerateReplacesTheReplyAndKeepsTheQuestion() throws Exception {
    String user = TestAccounts.user("regen").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var first = SseClient.send(user, conversation, "Again [sim tokens=3 gap-ms=5]", null);
    long firstReply = first.replyId();

    var second =
        SseClient.stream(
            user,
            "v1/conversations/" + conversation + "/messages/" + firstReply + "/regenerate",
            null);
    assertEquals("complete", second.reply().getString("status"), second.events().toString());
    assertNotEquals(firstReply, second.replyId());
    List<JsonObject> messages = messages(user, conversation);
    assertEquals(2, messages.size());
    assertEquals(second.replyId(), messages.get(1).getJsonNumber("id").longValue());
    assertEquals(
        messages.get(0).getJsonNumber("id").longValue(),
        messages.get(1).getJsonNumber("parentId").longValue());
    // the replaced reply cannot be regenerated again
    var stale =
        Api.post(
            "v1/conversations/" + conversation + "/messages/" + firstReply + "/regenerate",
            user,
            null);
    assertEquals(409, stale.statusCode(), stale.body());
  }

  @Test
  void editAndResendReplacesEverythingAfterTheEditedMessage() throws Exception {
    String user = TestAccounts.user("editor").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var first = SseClient.send(user, conversation, "First [sim tokens=2 gap-ms=5]", null);
    SseClient.send(user, conversation, "Second [sim tokens=2 gap-ms=5]", null);
    long firstQuestion = questionId(first);

    var edited =
        edit(
            user,
            conversation,
            firstQuestion,
            "{\"content\":\"First, better [sim tokens=3 gap-ms=5]\"}");
    assertEquals("complete", edited.reply().getString("status"), edited.events().toString());
    List<JsonObject> messages = messages(user, conversation);
    assertEquals(2, messages.size(), messages.toString());
    assertEquals("First, better [sim tokens=3 gap-ms=5]", messages.get(0).getString("content"));
    assertEquals("This is a", messages.get(1).getString("content"));
  }

  /**
   * What the model is asked: the current messages before the question, then the question; the
   * simulator's prompt tokens count the words of every message it receives.
   */
  @Test
  void theModelIsAskedWithTheCurrentHistoryOnSendRegenerateAndEdit() throws Exception {
    String user = TestAccounts.user("history").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var first = SseClient.send(user, conversation, "one two [sim tokens=2 gap-ms=1]", null);
    assertEquals(2, promptTokens(first), "the question alone");
    // the reply is "This is": two words
    var second = SseClient.send(user, conversation, "three [sim tokens=2 gap-ms=1]", null);
    assertEquals(5, promptTokens(second), "question, reply, question");

    var regenerated =
        SseClient.stream(
            user,
            "v1/conversations/" + conversation + "/messages/" + second.replyId() + "/regenerate",
            null);
    assertEquals(5, promptTokens(regenerated), "the same, without the replaced reply");

    long secondQuestion = questionId(second);
    var edited =
        edit(
            user,
            conversation,
            secondQuestion,
            "{\"content\":\"three four five [sim tokens=2 gap-ms=1]\"}");
    assertEquals(7, promptTokens(edited), "the first exchange and the edited question");

    long firstQuestion = questionId(first);
    var restarted =
        edit(user, conversation, firstQuestion, "{\"content\":\"six [sim tokens=2 gap-ms=1]\"}");
    assertEquals(1, promptTokens(restarted), "only the edited first question");
  }

  /**
   * A conversation of 300 stored messages (ten words each, stored before token counts were kept):
   * without a known context limit all of them are sent, read page by page; with one, only the
   * newest that fit, beginning with a question.
   */
  @Test
  void aLongConversationIsSentWholeOrAsFarAsTheModelsWindowTakes() throws Exception {
    String user = TestAccounts.user("long").accessToken();
    long whole = longConversation(user, "demo");
    var all = SseClient.send(user, whole, "last [sim tokens=1]", null);
    assertEquals(300 * 10 + 1, promptTokens(all), "every stored message and the question");
    assertEquals(
        "300",
        Platform.queryOne(
            "select count(*) from message where conversation_id = ? and content_tokens is null",
            whole),
        "the question and the reply are counted when written, the old messages stay as they were");

    String windowed =
        SharedModels.add("window", Platform.simulator().baseUrl(), "", ",\"contextLimit\":200");
    long cut = longConversation(user, windowed);
    var newest = SseClient.send(user, cut, "last [sim tokens=1]", null);
    int words = promptTokens(newest);
    assertTrue(words > 1 && words < 200, words + " words sent");
    assertEquals(1, words % 20, "whole exchanges, a question first: " + words);
  }

  /** A conversation with 300 messages inserted as an older version stored them. */
  private static long longConversation(String user, String model) throws Exception {
    long conversation = SseClient.conversation(user, model);
    Platform.update(
        "insert into message (id, conversation_id, owner_id, position, role, content, status,"
            + " superseded, created_at, completed_at, version)"
            + " select -(?::bigint * 1000 + n), c.id, c.owner_id, n,"
            + " case when n % 2 = 0 then 'USER' else 'ASSISTANT' end,"
            + " 'w' || n || ' x x x x x x x x x', 'COMPLETE', false, now(), now(), 1"
            + " from generate_series(0, 299) n, conversation c where c.id = ?",
        conversation, conversation);
    Platform.update("update conversation set next_position = 300 where id = ?", conversation);
    return conversation;
  }

  /** Edits a question and reads the new reply's stream; {@code body} is the request's JSON. */
  private static SseClient.Result edit(String user, long conversation, long question, String body)
      throws Exception {
    return SseClient.stream(
        user, "v1/conversations/" + conversation + "/messages/" + question + "/edit", body);
  }

  private static long questionId(SseClient.Result result) {
    return Json.object(result.named("message").get(0).data())
        .getJsonObject("question")
        .getJsonNumber("id")
        .longValue();
  }

  private static int promptTokens(SseClient.Result result) {
    assertEquals("complete", result.reply().getString("status"), result.events().toString());
    return Json.object(result.named("usage").get(0).data()).getInt("promptTokens");
  }

  @Test
  void aSecondSendWhileAReplyStreamsIsAConflict() throws Exception {
    String user = TestAccounts.user("impatient").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SseClient.Result> slow =
          pool.submit(
              () -> SseClient.send(user, conversation, "Slow [sim tokens=20 gap-ms=100]", null));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> streamingReply(user, conversation), id -> id != null);
      var second =
          Api.post(
              "v1/conversations/" + conversation + "/messages", user, "{\"content\":\"And?\"}");
      assertEquals(409, second.statusCode(), second.body());
      assertTrue(Json.object(second.body()).getString("type").endsWith("/reply-in-progress"));
      assertEquals("complete", slow.get().reply().getString("status"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void conversationsArePagedNewestFirstWithoutGapsOrRepeats() throws Exception {
    String user = TestAccounts.user("pager").accessToken();
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(SseClient.conversation(user, "demo"));
    }
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    do {
      var page =
          Json.object(
              Api.get(
                      "v1/conversations?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                      user)
                  .body());
      page.getJsonArray("items")
          .forEach(item -> seen.add(item.asJsonObject().getJsonNumber("id").longValue()));
      cursor = page.containsKey("next") ? page.getString("next") : null;
    } while (cursor != null);
    List<Long> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);

    var bad = Api.get("v1/conversations?cursor=not-a-cursor", user);
    assertEquals(400, bad.statusCode(), bad.body());
  }

  @Test
  void theListFiltersByTitleIgnoringCaseAndTakingWildcardsLiterally() throws Exception {
    String user = TestAccounts.user("finder").accessToken();
    long plans = SseClient.conversation(user, "demo");
    Api.call("PATCH", "v1/conversations/" + plans, user, "{\"title\":\"Travel PLANS 100%\"}");
    long other = SseClient.conversation(user, "demo");
    Api.call("PATCH", "v1/conversations/" + other, user, "{\"title\":\"Recipes 1000\"}");

    assertEquals(List.of(plans), titledIds(user, "plans"));
    assertEquals(List.of(plans), titledIds(user, "0%25"));
    assertEquals(List.of(), titledIds(user, "_"));
    assertEquals(List.of(other, plans), titledIds(user, ""));
  }

  private static List<Long> titledIds(String user, String encodedFilter) throws Exception {
    var page = Json.object(Api.get("v1/conversations?q=" + encodedFilter, user).body());
    List<Long> ids = new ArrayList<>();
    page.getJsonArray("items")
        .forEach(item -> ids.add(item.asJsonObject().getJsonNumber("id").longValue()));
    return ids;
  }

  @Test
  void messagesArePagedFromTheNewest() throws Exception {
    String user = TestAccounts.user("history").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    for (int i = 0; i < 3; i++) {
      SseClient.send(user, conversation, "Turn " + i + " [sim tokens=1 gap-ms=1 ttft-ms=1]", null);
    }
    var newest =
        Json.object(Api.get("v1/conversations/" + conversation + "/messages?limit=4", user).body());
    assertEquals(4, newest.getJsonArray("items").size());
    assertEquals(
        "Turn 1 [sim tokens=1 gap-ms=1 ttft-ms=1]",
        newest.getJsonArray("items").getJsonObject(0).getString("content"));
    int before = newest.getInt("before");
    var older =
        Json.object(
            Api.get("v1/conversations/" + conversation + "/messages?limit=4&before=" + before, user)
                .body());
    assertEquals(2, older.getJsonArray("items").size());
    assertEquals(
        "Turn 0 [sim tokens=1 gap-ms=1 ttft-ms=1]",
        older.getJsonArray("items").getJsonObject(0).getString("content"));
    assertNull(older.get("before"));
  }

  @Test
  void renameSettingsAndDelete() throws Exception {
    String user = TestAccounts.user("tidy").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    var changed =
        Api.call(
            "PATCH",
            "v1/conversations/" + conversation,
            user,
            "{\"title\":\"Plans\",\"systemPrompt\":\"Answer in Chinese\",\"temperature\":0.3}");
    assertEquals(200, changed.statusCode(), changed.body());
    var view = Json.object(changed.body());
    assertEquals("Plans", view.getString("title"));
    assertEquals("Answer in Chinese", view.getString("systemPrompt"));
    var invalid =
        Api.call("PATCH", "v1/conversations/" + conversation, user, "{\"temperature\":3}");
    assertEquals(400, invalid.statusCode(), invalid.body());

    assertEquals(204, Api.delete("v1/conversations/" + conversation, user).statusCode());
    assertEquals(404, Api.get("v1/conversations/" + conversation, user).statusCode());
  }

  @Test
  void administratorsSeeDailyUsagePerUserAndModel() throws Exception {
    var login = TestAccounts.user("counted");
    SseClient.chat(login.accessToken(), "demo", "Count me [sim tokens=4 gap-ms=1 usage=true]");
    var days = Json.array(Api.get("v1/admin/usage", Tokens.admin()).body());
    Set<String> users = new HashSet<>();
    days.forEach(day -> users.add(day.asJsonObject().getString("username")));
    assertTrue(users.contains(login.username()), days.toString());
    var mine = Json.array(Api.get("v1/users/me/usage", login.accessToken()).body());
    assertEquals(1, mine.size(), mine.toString());
    assertEquals(4, mine.getJsonObject(0).getInt("completionTokens"));
    assertEquals(0, mine.getJsonObject(0).getInt("estimatedRequests"), "the upstream's counts");
    assertEquals(403, Api.get("v1/admin/usage", login.accessToken()).statusCode());
  }

  private static Long streamingReply(String user, long conversation) throws Exception {
    List<JsonObject> messages = messages(user, conversation);
    return messages.size() == 2 && messages.get(1).getString("status").equals("streaming")
        ? messages.get(1).getJsonNumber("id").longValue()
        : null;
  }

  static List<JsonObject> messages(String user, long conversation) throws Exception {
    var page = Json.object(Api.get("v1/conversations/" + conversation + "/messages", user).body());
    return page.getJsonArray("items").stream().map(v -> v.asJsonObject()).toList();
  }
}
