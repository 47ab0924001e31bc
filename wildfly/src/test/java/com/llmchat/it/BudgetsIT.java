package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets and rate limits: reserved before the model is asked, settled to what was used with the
 * reply and its ledger row — exact under concurrency, refused clearly in the chat and on /v1.
 */
class BudgetsIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  static long budget(String holder, long holderId, String period, Long tokens, Long requests)
      throws Exception {
    var made =
        Api.post(
            "v1/admin/budgets",
            Tokens.admin(),
            "{\"holder\":"
                + Api.q(holder)
                + ",\"holderId\":"
                + holderId
                + ",\"period\":"
                + Api.q(period)
                + ",\"tokenLimit\":"
                + tokens
                + ",\"requestLimit\":"
                + requests
                + "}");
    assertEquals(201, made.statusCode(), made.body());
    return Json.object(made.body()).getJsonNumber("id").longValue();
  }

  static JsonObject state(long budget) throws Exception {
    var found = Api.get("v1/admin/budgets/" + budget, Tokens.admin());
    assertEquals(200, found.statusCode(), found.body());
    return Json.object(found.body());
  }

  static long number(JsonObject json, String name) {
    return json.getJsonNumber(name).longValue();
  }

  /** Tokens of the key's ledger rows. */
  static long ledgerTokens(long keyId) throws Exception {
    return Long.parseLong(
        Platform.queryOne(
            "select coalesce(sum(prompt_tokens + completion_tokens), 0) from usage_record"
                + " where api_key_id = ?",
            keyId));
  }

  static HttpResponse<String> complete(String key, String model, String content, boolean stream)
      throws Exception {
    return Platform.HTTP.send(
        HttpRequest.newBuilder(URI.create(Platform.APP + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(model, content, stream)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String body(String model, String content, boolean stream) {
    return "{\"model\":"
        + Api.q(model)
        + ",\"stream\":"
        + stream
        + ",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":"
        + Api.q(content)
        + "}]}";
  }

  @Test
  void fiftyParallelCallsAtRoomForTenAdmitExactlyTenAndTheUseEqualsTheLedger() throws Exception {
    var user = TestAccounts.user("racer");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"race\"}");
    long keyId = TestKeys.keyId(user.accessToken(), key);
    long requests = budget("KEY", keyId, "DAY", null, 10L);
    // the replies (not streamed: whole after the first token's wait) take 1.5 s, so every
    // reservation is taken before the first is settled
    List<Integer> statuses =
        parallel(
            50,
            () -> complete(key, "demo", "race [sim tokens=3 ttft-ms=1500]", false).statusCode());
    assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(40, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
    JsonObject settled = state(requests);
    assertEquals(10, number(settled, "requests"));
    assertEquals(0, number(settled, "reservedTokens"));
    assertEquals(ledgerTokens(keyId), number(settled, "usedTokens"));
    assertTrue(number(settled, "usedTokens") > 0);
    assertEquals(0, settled.getJsonNumber("requestsLeft").longValue());

    // the usage report filtered by the key, and by a group the racer is in: only theirs
    var byKey = Json.array(Api.get("v1/admin/usage?key=" + keyId, Tokens.admin()).body());
    long keyTokens = 0;
    for (var day : byKey) {
      assertEquals(keyId, day.asJsonObject().getJsonNumber("apiKeyId").longValue());
      keyTokens +=
          day.asJsonObject().getJsonNumber("promptTokens").longValue()
              + day.asJsonObject().getJsonNumber("completionTokens").longValue();
    }
    assertEquals(ledgerTokens(keyId), keyTokens);
    long groupId = ModelAccessIT.group("racers", false);
    Api.put("v1/admin/groups/" + groupId + "/members/" + user.id(), Tokens.admin(), null);
    var byGroup = Json.array(Api.get("v1/admin/usage?group=" + groupId, Tokens.admin()).body());
    assertTrue(byGroup.size() > 0);
    for (var day : byGroup) {
      assertEquals(user.username(), day.asJsonObject().getString("username"));
    }
  }

  @Test
  void tokensReservedInParallelNeverExceedTheBudget() throws Exception {
    var user = TestAccounts.user("spender");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"tokens\"}");
    long keyId = TestKeys.keyId(user.accessToken(), key);
    // each call reserves its prompt and max_tokens (200): room for exactly 5 of them at once
    long one = reservationOf(key, keyId);
    long before = ledgerTokens(keyId);
    long tokens = budget("KEY", keyId, "MONTH", 5 * one + one - 1, null);
    // streamed, the replies last seconds: every reservation is taken before the first is settled
    List<Integer> statuses =
        parallel(
            20, () -> complete(key, "demo", "spend [sim tokens=3 gap-ms=700]", true).statusCode());
    assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    JsonObject settled = state(tokens);
    assertEquals(0, number(settled, "reservedTokens"));
    assertEquals(ledgerTokens(keyId) - before, number(settled, "usedTokens"));
  }

  @Test
  void aCallOneBudgetRefusesTakesNothingInTheOthersAndWhatWasSettledStaysCounted()
      throws Exception {
    var user = TestAccounts.user("refused");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"two a day\"}");
    long keyId = TestKeys.keyId(user.accessToken(), key);
    long daily = budget("ACCOUNT", user.id(), "DAY", null, 1_000L);
    long monthly = budget("ACCOUNT", user.id(), "MONTH", 1_000_000L, null);
    long twoADay = budget("KEY", keyId, "DAY", null, 2L);
    for (int call = 0; call < 4; call++) {
      assertEquals(
          call < 2 ? 200 : 429,
          complete(key, "demo", "call " + call + " [sim tokens=3 gap-ms=1]", false).statusCode());
    }
    // the refused calls (which the account's budgets had room for) counted nowhere; the
    // settled ones, folded in by the refused, counted everywhere with what they used
    assertEquals(2, number(state(daily), "requests"));
    for (long budget : List.of(daily, monthly, twoADay)) {
      JsonObject state = state(budget);
      assertEquals(0, number(state, "reservedTokens"), state.toString());
      assertEquals(ledgerTokens(keyId), number(state, "usedTokens"), state.toString());
    }
    assertEquals(2, number(state(monthly), "requests"));
    assertEquals(2, number(state(twoADay), "requests"));
  }

  /**
   * How many reservation statements a server runs at once: {@code
   * llmchat.budget.reservation-statements}'s default.
   */
  private static final int AT_ONCE =
      Math.min(4, Integer.parseInt(Platform.requiredEnv("LLMCHAT_DB_AUTOCOMMIT_POOL_MAX")));

  /**
   * Calls that come while a server runs all its reservation statements wait for them and are then
   * decided together by one statement, and exactly: a transaction of the test's holds the key
   * budget's counter row, so the first calls' statements ({@link #AT_ONCE}) wait for it while the
   * rest of 21 calls queue behind them. Which calls get the room left is not asserted: once the
   * first waiting statement has updated the row, the others wait for its newer version, and the
   * queued calls' statement, starting then, may lock that version before them (PostgreSQL does not
   * keep a row's waiters in order across its versions; CI saw it once in about forty runs).
   */
  @Test
  void callsQueuedBehindAReservationAreDecidedTogetherByOneStatementAndExactly() throws Exception {
    var user = TestAccounts.user("queued");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"queued\"}");
    long keyId = TestKeys.keyId(user.accessToken(), key);
    long requests = budget("KEY", keyId, "DAY", null, 6L);
    long monthly = budget("ACCOUNT", user.id(), "MONTH", 1_000_000L, null);
    // the first call makes the periods' counter rows
    assertEquals(200, complete(key, "demo", "first [sim tokens=3 gap-ms=1]", false).statusCode());
    double statements = metric("llmchat_budget_reservation_statements_total");
    double claims = metric("llmchat_budget_reservation_claims_total");
    ExecutorService callers = Executors.newFixedThreadPool(21);
    List<Future<Integer>> calls = new ArrayList<>();
    try (var db = Platform.database()) {
      db.setAutoCommit(false);
      try (var lock =
          db.prepareStatement("select requests from budget_use where budget_id = ? for update")) {
        lock.setLong(1, requests);
        try (var rows = lock.executeQuery()) {
          assertTrue(rows.next());
        }
      }
      // a server runs AT_ONCE reservation statements at a time: each waits for the row
      for (int call = 0; call < AT_ONCE; call++) {
        int made = call;
        calls.add(callers.submit(() -> call(key, made)));
        String waiting = String.valueOf(call + 1);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Platform.queryOne(
                        // (the statement's start: pg_stat_activity keeps only its first 1 kB)
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and query like '%unnest(%'"),
                waiting::equals);
      }
      for (int call = AT_ONCE; call <= 20; call++) {
        int made = call;
        calls.add(callers.submit(() -> call(key, made)));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> metric("llmchat_budget_reservation_waiting"),
              waiting -> waiting == 21 - AT_ONCE);
      db.commit();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> call : calls) {
        statuses.add(call.get());
      }
      // one request was taken before: five of the 21 fit in the six, whichever they are
      assertEquals(21, statuses.size());
      assertEquals(
          6 - 1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
      assertEquals(
          21 - (6 - 1),
          statuses.stream().filter(status -> status == 429).count(),
          statuses.toString());
    } finally {
      callers.shutdownNow();
    }
    assertEquals(AT_ONCE + 1, metric("llmchat_budget_reservation_statements_total") - statements);
    assertEquals(21, metric("llmchat_budget_reservation_claims_total") - claims);
    JsonObject settled = state(requests);
    assertEquals(6, number(settled, "requests"));
    assertEquals(0, number(settled, "reservedTokens"));
    assertEquals(ledgerTokens(keyId), number(settled, "usedTokens"));
    JsonObject account = state(monthly);
    assertEquals(0, number(account, "reservedTokens"));
    assertEquals(ledgerTokens(keyId), number(account, "usedTokens"));
    assertEquals(6, number(account, "requests"));
  }

  private static int call(String key, int call) throws Exception {
    return complete(key, "demo", "queued " + call + " [sim tokens=3 gap-ms=1]", false).statusCode();
  }

  /** The sum of a meter's series at the management interface's Prometheus endpoint. */
  private static double metric(String name) throws Exception {
    String text = Platform.get(Platform.MANAGEMENT + "/prometheus", null).body();
    Matcher series = Pattern.compile("\\n" + name + "(?:\\{[^}]*})? (\\S+)").matcher(text);
    double sum = 0;
    boolean found = false;
    while (series.find()) {
      sum += Double.parseDouble(series.group(1));
      found = true;
    }
    assertTrue(found, name + " missing");
    return sum;
  }

  /** What one call of this test's shape reserves: seen while it is under way. */
  private static long reservationOf(String key, long keyId) throws Exception {
    long probe = budget("KEY", keyId, "DAY", 1_000_000L, null);
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> call =
          one.submit(() -> complete(key, "demo", "spend [sim tokens=3 gap-ms=700]", true));
      long reserved =
          Awaitility.await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> number(state(probe), "reservedTokens"), r -> r > 0);
      assertEquals(200, call.get().statusCode());
      return reserved;
    } finally {
      one.shutdownNow();
      Api.delete("v1/admin/budgets/" + probe, Tokens.admin());
    }
  }

  @Test
  void aHangUpSettlesWhatWasGeneratedAndAnUpstreamErrorSettlesNothing() throws Exception {
    var user = TestAccounts.user("hanger");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"hang-up\"}");
    long keyId = TestKeys.keyId(user.accessToken(), key);
    String failing = SharedModels.add("failing", "");
    long budget = budget("KEY", keyId, "DAY", 1_000_000L, null);

    var failed = complete(key, failing, "fail [sim fault=http-500]", false);
    assertEquals(502, failed.statusCode(), failed.body());
    JsonObject afterFailure = state(budget);
    assertEquals(0, number(afterFailure, "usedTokens"));
    assertEquals(0, number(afterFailure, "reservedTokens"));

    var request =
        HttpRequest.newBuilder(URI.create(Platform.APP + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    body("demo", "Hi [sim tokens=500 gap-ms=20 usage=false]", true)))
            .build();
    var lines = Platform.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, lines.statusCode());
    try (var stream = lines.body()) {
      assertEquals(6, stream.filter(line -> line.startsWith("data:")).limit(6).count());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> number(state(budget), "reservedTokens") == 0);
    JsonObject settled = state(budget);
    assertEquals(ledgerTokens(keyId), number(settled, "usedTokens"));
    // the prompt and what came before the hang-up: far below the 200 reserved for the reply
    assertTrue(number(settled, "usedTokens") < 100, settled.toString());
    assertTrue(number(settled, "usedTokens") > 5, settled.toString());
  }

  @Test
  void aUsedUpBudgetRefusesTheChatWithAnEventAndV1WithInsufficientQuota() throws Exception {
    var user = TestAccounts.user("thrifty");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"quota\"}");
    long budget = budget("ACCOUNT", user.id(), "DAY", null, 2L);
    long conversation = SseClient.conversation(user.accessToken(), "demo");
    String id = "resend-" + UUID.randomUUID();
    var first = SseClient.send(user.accessToken(), conversation, "one [sim tokens=2 gap-ms=1]", id);
    assertEquals(1, first.named("done").size(), first.events().toString());
    // a resend with the same client message id is the stored reply: nothing reserved
    var resent =
        SseClient.send(user.accessToken(), conversation, "one [sim tokens=2 gap-ms=1]", id);
    assertEquals(first.replyId(), resent.replyId());
    assertEquals(1, number(state(budget), "requests"));
    assertEquals(200, complete(key, "demo", "two [sim tokens=2 gap-ms=1]", false).statusCode());

    var refused = SseClient.send(user.accessToken(), conversation, "three", null);
    assertEquals(200, refused.status());
    JsonObject error = Json.object(refused.named("error").get(0).data());
    assertEquals("quota_exceeded", error.getString("code"));
    assertTrue(error.getString("resetsAt").endsWith("Z"), error.toString());
    assertEquals("failed", refused.reply().getString("status"));
    var gateway = complete(key, "demo", "four", false);
    assertEquals(429, gateway.statusCode(), gateway.body());
    assertEquals(
        "insufficient_quota", Json.object(gateway.body()).getJsonObject("error").getString("code"));
    assertTrue(Long.parseLong(gateway.headers().firstValue("Retry-After").orElseThrow()) > 0);
    // what the user sees of it
    var mine = Json.array(Api.get("v1/users/me/budgets", user.accessToken()).body());
    assertEquals(0, mine.getJsonObject(0).getJsonNumber("requestsLeft").longValue());
  }

  @Test
  void theSixtyFirstRequestWithinAMinuteIsRateLimitedInTheChatAndOnV1() throws Exception {
    var user = TestAccounts.user("hasty");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"rate\"}");
    long groupId = ModelAccessIT.group("hasty", false);
    Api.put("v1/admin/groups/" + groupId + "/members/" + user.id(), Tokens.admin(), null);
    budget("GROUP", groupId, "MINUTE", null, 60L);
    // limits count by clock minute: all 61 (about 3 s) must fall into one, so not in its last 15 s
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> LocalTime.now().getSecond() < 45);
    for (int i = 0; i < 59; i++) {
      var answered = complete(key, "demo", "quick [sim tokens=1 gap-ms=0 ttft-ms=0]", false);
      assertEquals(200, answered.statusCode(), i + ": " + answered.body());
    }
    long conversation = SseClient.conversation(user.accessToken(), "demo");
    var sixtieth =
        SseClient.send(user.accessToken(), conversation, "sixty [sim tokens=1 ttft-ms=0]", null);
    assertEquals(1, sixtieth.named("done").size());
    assertTrue(sixtieth.named("error").isEmpty(), sixtieth.events().toString());

    var limited = complete(key, "demo", "quick", false);
    assertEquals(429, limited.statusCode(), limited.body());
    assertEquals(
        "rate_limit_exceeded",
        Json.object(limited.body()).getJsonObject("error").getString("code"));
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    var chat = SseClient.send(user.accessToken(), conversation, "sixty-two", null);
    assertEquals("rate_limited", Json.object(chat.named("error").get(0).data()).getString("code"));
  }

  @Test
  void aBudgetOrAMembershipMadeAfterCallsCountsFromTheNextCall() throws Exception {
    // a call no budget applies to asks no database; what a server knew of whom budgets apply to
    // must not outlive a change made on it
    var user = TestAccounts.user("latecomer");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"late\"}");
    long keyId = TestKeys.keyId(user.accessToken(), key);
    assertEquals(200, complete(key, "demo", "before [sim tokens=1]", false).statusCode());

    long own = budget("ACCOUNT", user.id(), "DAY", null, 1000L);
    assertEquals(200, complete(key, "demo", "own [sim tokens=1]", false).statusCode());
    assertEquals(1, number(state(own), "requests"));

    long byKey = budget("KEY", keyId, "DAY", null, 1000L);
    assertEquals(200, complete(key, "demo", "key [sim tokens=1]", false).statusCode());
    assertEquals(1, number(state(byKey), "requests"));
    assertEquals(2, number(state(own), "requests"));

    long groupId = ModelAccessIT.group("late", false);
    long pooled = budget("GROUP", groupId, "DAY", null, 1000L);
    assertEquals(200, complete(key, "demo", "outside [sim tokens=1]", false).statusCode());
    assertEquals(0, number(state(pooled), "requests"));
    Api.put("v1/admin/groups/" + groupId + "/members/" + user.id(), Tokens.admin(), null);
    assertEquals(200, complete(key, "demo", "inside [sim tokens=1]", false).statusCode());
    assertEquals(1, number(state(pooled), "requests"));

    // an account made while the default group has a budget counts in it from its first call
    String name =
        Json.object(Api.get("v1/admin/groups/" + groupId, Tokens.admin()).body()).getString("name");
    try {
      assertEquals(
          200,
          Api.put(
                  "v1/admin/settings/default-group",
                  Tokens.admin(),
                  "{\"value\":" + Api.q(name) + "}")
              .statusCode());
      var newcomer = TestAccounts.user("newcomer");
      String newKey = TestKeys.key(newcomer.accessToken(), "{\"name\":\"first\"}");
      assertEquals(200, complete(newKey, "demo", "first [sim tokens=1]", false).statusCode());
      assertEquals(2, number(state(pooled), "requests"));
    } finally {
      Api.put("v1/admin/settings/default-group", Tokens.admin(), "{\"value\":\"users\"}");
    }
    for (long budget : List.of(own, byKey, pooled)) {
      assertEquals(204, Api.delete("v1/admin/budgets/" + budget, Tokens.admin()).statusCode());
    }
  }

  @Test
  void deletingAMemberKeepsWhatItUsedInTheGroupsBudgetAndGivesBackWhatItsCallsHold()
      throws Exception {
    var member = TestAccounts.user("leaver");
    String key = TestKeys.key(member.accessToken(), "{\"name\":\"leaving\"}");
    long keyId = TestKeys.keyId(member.accessToken(), key);
    long groupId = ModelAccessIT.group("leavers", false);
    Api.put("v1/admin/groups/" + groupId + "/members/" + member.id(), Tokens.admin(), null);
    long pooled = budget("GROUP", groupId, "MONTH", 1_000_000L, null);
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      // a call under way holds its tokens in the group's budget; a short one settled meanwhile
      // is not folded into the counters yet (the next reservation in the budget would)
      Future<HttpResponse<String>> underWay =
          one.submit(() -> complete(key, "demo", "long [sim tokens=400 gap-ms=20]", false));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> number(state(pooled), "reservedTokens") > 0);
      assertEquals(200, complete(key, "demo", "short [sim tokens=3]", false).statusCode());
      JsonObject before = state(pooled);
      long used = number(before, "usedTokens");
      assertEquals(ledgerTokens(keyId), used, before.toString());
      assertTrue(used > 0, before.toString());
      assertEquals(2, number(before, "requests"), before.toString());

      assertEquals(204, Api.delete("v1/admin/users/" + member.id(), Tokens.admin()).statusCode());
      JsonObject after = state(pooled);
      assertEquals(used, number(after, "usedTokens"), after.toString());
      assertEquals(0, number(after, "reservedTokens"), after.toString());
      assertEquals(2, number(after, "requests"), after.toString());

      try {
        underWay.get();
      } catch (ExecutionException e) {
        // whatever it answers: its end changes nothing in the group's budget
      }
      JsonObject ended = state(pooled);
      assertEquals(used, number(ended, "usedTokens"), ended.toString());
      assertEquals(0, number(ended, "reservedTokens"), ended.toString());
    } finally {
      one.shutdownNow();
      Api.delete("v1/admin/budgets/" + pooled, Tokens.admin());
    }
  }

  private static <T> List<T> parallel(int calls, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        futures.add(pool.submit(call));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
