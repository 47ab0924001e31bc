package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Two servers of one cluster behind nginx, as {@code bin/llmchat cluster start 2} runs them (round
 * robin, not sticky), on a database of their own: what one server does, the other knows. (A
 * deployed-EAR class for the test run's model server simulator, which the cluster calls.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends DeployedEar {

  private static Path folder;
  private static Installation cluster;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    folder = Files.createTempDirectory("llmchat-cluster");
    // the test run's keys (the deployed EAR's server made them): with keys there already, the
    // launcher starts both servers at once, and they race for the first administrator
    Path keys = Platform.dataDir().resolve("keys");
    // the servers call the test run's model server simulator
    Platform.simulator();
    cluster =
        new Installation(
            folder,
            Map.of(
                "LLMCHAT_CLUSTER_PORT", String.valueOf(freePort()),
                "LLMCHAT_CLUSTER_FAILURE_DETECTION_PORT", String.valueOf(freePort()),
                "LLMCHAT_JWT_PRIVATE_KEY_FILE", keys.resolve("jwt-private.pem").toString(),
                "LLMCHAT_JWT_PUBLIC_KEY_FILE", keys.resolve("jwt-public.pem").toString(),
                "LLMCHAT_MASTER_KEY_FILE", keys.resolve("master-keys").toString()));
    cluster.launcher("cluster", "start", "2");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      try (var files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /**
   * The two servers started at the same moment on a new database: what every start writes (the
   * first administrator, the preset model server) was written once, not once per server.
   */
  @Test
  @Order(0)
  void serversStartingTogetherWriteTheStartupRowsOnce() throws Exception {
    try (Connection db = cluster.database();
        var counts =
            db.prepareStatement(
                "select (select count(*) from account where role = 'ADMIN'),"
                    + " (select count(*) from provider where preset)");
        var rows = counts.executeQuery()) {
      assertTrue(rows.next());
      assertEquals(1, rows.getLong(1), "administrators");
      assertEquals(1, rows.getLong(2), "preset model servers");
    }
  }

  @Test
  @Order(0)
  void bothServersAreInOneCluster() throws Exception {
    for (int server = 1; server <= 2; server++) {
      var system =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(cluster.node(server) + "/api/v1/admin/system"))
                  .header("Authorization", "Bearer " + token(cluster.node(server)))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(200, system.statusCode(), system.body());
      JsonObject report = Json.object(system.body());
      assertEquals("node-" + server, report.getString("server"));
      assertEquals(
          List.of("node-1", "node-2"),
          report.getJsonArray("cluster").getValuesAs(jakarta.json.JsonString.class).stream()
              .map(jakarta.json.JsonString::getString)
              .sorted()
              .toList(),
          system.body());
    }
  }

  /**
   * The reply stops streaming (its last delta) within 2 s of the stop; its {@code done} event
   * follows once the server has stored it, which on a server's first stop (cold, on the loaded test
   * machine) took another 1.4 s in one CI run.
   */
  @Test
  @Order(1)
  void aStopSentToOneServerEndsAReplyStreamingOnTheOtherWithinTwoSeconds() throws Exception {
    String token = token(cluster.node(1));
    long conversation = conversation(cluster.node(1), token);
    var reply =
        Streaming.from(
            cluster.node(1), token, conversation, "A long one [sim tokens=600 gap-ms=50]");
    long asked = System.nanoTime();
    var stop = stop(cluster.node(2), token, conversation, reply.id.get());
    long answered = System.nanoTime();
    assertEquals(200, stop.statusCode(), stop.body());
    assertTrue(Json.object(stop.body()).getBoolean("stopped"), stop.body());
    assertEquals("interrupted", reply.done(10).getString("status"));
    long millis = TimeUnit.NANOSECONDS.toMillis(reply.lastDeltaAt.get() - asked);
    assertTrue(
        millis < 2_000,
        "the last delta came "
            + millis
            + " ms after the stop was sent (answered after "
            + TimeUnit.NANOSECONDS.toMillis(answered - asked)
            + " ms)");
  }

  /**
   * A reply streaming from server 1, its connection cut mid-reply (by a proxy in between), taken up
   * with {@code Last-Event-ID} on server 2: server 2 relays the missed events and the live tail
   * from server 1's journal; together the two streams are the stored reply, every event once, in
   * order.
   */
  @Test
  @Order(1)
  void aStreamCutMidReplyIsTakenUpOnTheOtherServerWithNoDeltaMissingOrRepeated() throws Exception {
    String token = token(cluster.node(1));
    long conversation = conversation(cluster.node(1), token);
    SseClient.Result first =
        SseClient.cutAfter(
            10, cluster.node(1), token, conversation, "Across servers [sim tokens=60 gap-ms=40]");
    SseClient.Result rest =
        SseClient.resume(
            cluster.node(2), token, conversation, first.replyId(), SseClient.lastId(first));
    var whole = SseClient.joined(first, rest);
    assertEquals(60, whole.named("delta").size());
    assertEquals("complete", rest.reply().getString("status"));
    assertEquals(rest.reply().getString("content"), whole.content());
  }

  /**
   * The chat page in Chromium, through a proxy to server 1: the proxy cuts every connection
   * mid-reply and sends what comes after to server 2, where the page takes the stream up again
   * (server 2 relays it from server 1's journal) and shows the whole reply, as stored.
   */
  @Test
  @Order(1)
  void theChatPageTakesABrokenReplyUpOnTheOtherServerAndShowsItWhole() throws Exception {
    try (var browser = new Browser();
        var proxy = new CuttingProxy(cluster.node(1))) {
      browser.driver.get(proxy.url() + "/");
      browser.logIn("admin", cluster.adminPassword());
      var chat = new ChatPage(browser).ready().pick("demo");
      chat.send("Through a blip [sim tokens=60 gap-ms=50]");
      browser.wait.until(driver -> chat.lastReplyText().length() > 10);
      proxy.retarget(cluster.node(2));
      proxy.cut();
      assertEquals("complete", chat.awaitLastReply("complete", "failed", "interrupted"));
      assertTrue(chat.streamsTakenUp() >= 1, "the page took the stream up again");
      String token = token(cluster.node(2));
      var conversations =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(cluster.node(2) + "/api/v1/conversations"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              BodyHandlers.ofString());
      long id =
          Json.object(conversations.body())
              .getJsonArray("items")
              .getJsonObject(0)
              .getJsonNumber("id")
              .longValue();
      var messages =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(cluster.node(2) + "/api/v1/conversations/" + id + "/messages"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              BodyHandlers.ofString());
      JsonObject stored = Json.object(messages.body()).getJsonArray("items").getJsonObject(1);
      assertEquals("complete", stored.getString("status"));
      assertEquals(stored.getString("content").trim(), chat.lastReplyText());
    }
  }

  @Test
  @Order(2)
  void anApiKeyRevokedOnOneServerIsRefusedByTheOtherAtTheNextRequest() throws Exception {
    String token = token(cluster.node(1));
    Key key = key(cluster.node(1), token, "cluster");
    // node 2 checks the key and keeps the grant in memory
    assertEquals(200, models(cluster.node(2), key.secret()).statusCode());
    var revoked =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(cluster.node(1) + "/api/v1/keys/" + key.id()))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, revoked.statusCode(), revoked.body());
    assertEquals(401, models(cluster.node(2), key.secret()).statusCode());
  }

  @Test
  @Order(3)
  void fiftyCallsSpreadOverBothServersAtRoomForTenAdmitExactlyTen() throws Exception {
    String token = token(cluster.node(1));
    Key key = key(cluster.node(1), token, "race");
    long budget = budget(token, key.id(), "DAY", 10);
    // the replies last seconds, so every reservation is taken before the first is settled
    List<Integer> statuses =
        parallel(
            50,
            call ->
                complete(
                    cluster.node(1 + call % 2), key.secret(), "race [sim tokens=3 gap-ms=1500]"));
    assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(40, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
    JsonObject settled = state(token, budget);
    assertEquals(10, settled.getJsonNumber("requests").longValue());
    assertEquals(0, settled.getJsonNumber("reservedTokens").longValue());
    try (Connection db = cluster.database();
        var sum =
            db.prepareStatement(
                "select coalesce(sum(prompt_tokens + completion_tokens), 0) from usage_record"
                    + " where api_key_id = ?")) {
      sum.setLong(1, key.id());
      try (var rows = sum.executeQuery()) {
        assertTrue(rows.next());
        assertEquals(rows.getLong(1), settled.getJsonNumber("usedTokens").longValue());
        assertTrue(rows.getLong(1) > 0);
      }
    }
  }

  @Test
  @Order(4)
  void aLimitOfSixtyAMinuteAdmitsSixtyAcrossBothServersTogether() throws Exception {
    String token = token(cluster.node(2));
    Key key = key(cluster.node(2), token, "rate");
    budget(token, key.id(), "MINUTE", 60);
    // limits count by clock minute: all 61 (a second or two) must fall into one, so not in its
    // last 15 s
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> LocalTime.now().getSecond() < 45);
    List<Integer> statuses =
        parallel(
            60, call -> complete(cluster.node(1 + call % 2), key.secret(), "quick [sim tokens=1]"));
    assertEquals(60, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    for (int server = 1; server <= 2; server++) {
      var limited =
          HTTP.send(
              completion(cluster.node(server), key.secret(), "one more"), BodyHandlers.ofString());
      assertEquals(429, limited.statusCode(), limited.body());
      assertEquals(
          "rate_limit_exceeded",
          Json.object(limited.body()).getJsonObject("error").getString("code"));
      assertTrue(limited.headers().firstValue("Retry-After").isPresent());
    }
  }

  @Test
  @Order(5)
  void aUserStaysLoggedInWhenTheServerOfTheirSessionIsKilled() throws Exception {
    try (var browser = new Browser()) {
      browser.driver.get(cluster.front() + "/");
      browser.logIn("admin", cluster.adminPassword());
      var chat = new ChatPage(browser).ready().pick("demo");
      chat.send("Before the crash [sim tokens=4 gap-ms=5]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      long pid = cluster.nodePid(1);
      new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor(10, TimeUnit.SECONDS);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
      browser.driver.navigate().refresh();
      chat.ready();
      assertFalse(browser.driver.getCurrentUrl().contains("login"), browser.driver.getCurrentUrl());
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#conversations li .open"), "Before the crash"));
      chat.send("After the crash [sim tokens=4 gap-ms=5]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
    }
  }

  /**
   * The killed server starts again (as a rolling upgrade restarts one) while the other streams a
   * reply: it joins the cluster and leaves that reply streaming (a server alone on its database
   * would mark it interrupted at start), and a stop sent to it reaches the reply on the other.
   */
  @Test
  @Order(6)
  void aServerThatStartsAgainLeavesTheRepliesTheOtherStreamsAlone() throws Exception {
    String token = token(cluster.node(2));
    long conversation = conversation(cluster.node(2), token);
    var streaming =
        Streaming.from(
            cluster.node(2), token, conversation, "Through a restart [sim tokens=4000 gap-ms=40]");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> streaming.deltas.get() > 0);
    cluster.launcher("cluster", "restart", "1");
    long before = streaming.deltas.get();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> streaming.deltas.get() > before);
    var stop = stop(cluster.node(1), token, conversation, streaming.id.get());
    assertEquals(200, stop.statusCode(), stop.body());
    assertTrue(Json.object(stop.body()).getBoolean("stopped"), "still streaming: " + stop.body());
    JsonObject reply = streaming.done(20).getJsonObject("reply");
    assertEquals("interrupted", reply.getString("status"), reply.toString());
    assertFalse(reply.containsKey("error") && !reply.isNull("error"), reply.toString());
  }

  /** A reply streaming from one server, read in the background: its id, deltas and end. */
  private static final class Streaming {
    final AtomicLong id = new AtomicLong();
    final AtomicLong deltas = new AtomicLong();
    final AtomicLong lastDeltaAt = new AtomicLong();
    final AtomicReference<JsonObject> done = new AtomicReference<>();
    private CompletableFuture<Void> reading;

    /** Sends {@code prompt} to the server and returns once the reply's id is known. */
    static Streaming from(String server, String token, long conversation, String prompt) {
      var streaming = new Streaming();
      streaming.reading =
          CompletableFuture.runAsync(
              () -> {
                try {
                  cluster.send(
                      server + "/api/v1",
                      token,
                      conversation,
                      prompt,
                      (event, data) -> {
                        JsonObject fields = Json.object(data);
                        if (event.equals("message")) {
                          streaming.id.set(
                              fields.getJsonObject("reply").getJsonNumber("id").longValue());
                        } else if (event.equals("delta")) {
                          streaming.deltas.incrementAndGet();
                          streaming.lastDeltaAt.set(System.nanoTime());
                        } else if (event.equals("done")) {
                          streaming.done.set(fields);
                        }
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> streaming.id.get() > 0);
      return streaming;
    }

    /** The {@code done} event, once the stream has ended (within {@code seconds}). */
    JsonObject done(int seconds) throws Exception {
      reading.get(seconds, TimeUnit.SECONDS);
      return done.get();
    }
  }

  private record Key(String secret, long id) {}

  /** A new API key of the administrator's, made on {@code server}. */
  private static Key key(String server, String token, String name) throws Exception {
    var made = post(server + "/api/v1/keys", token, "{\"name\":" + Api.q(name) + "}");
    assertEquals(201, made.statusCode(), made.body());
    JsonObject answer = Json.object(made.body());
    return new Key(
        answer.getString("secret"), answer.getJsonObject("key").getJsonNumber("id").longValue());
  }

  private static long budget(String token, long keyId, String period, long requests)
      throws Exception {
    var made =
        post(
            cluster.node(1) + "/api/v1/admin/budgets",
            token,
            "{\"holder\":\"KEY\",\"holderId\":"
                + keyId
                + ",\"period\":"
                + Api.q(period)
                + ",\"requestLimit\":"
                + requests
                + "}");
    assertEquals(201, made.statusCode(), made.body());
    return Json.object(made.body()).getJsonNumber("id").longValue();
  }

  private static JsonObject state(String token, long budget) throws Exception {
    var found =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(cluster.node(2) + "/api/v1/admin/budgets/" + budget))
                .header("Authorization", "Bearer " + token)
                .build(),
            BodyHandlers.ofString());
    assertEquals(200, found.statusCode(), found.body());
    return Json.object(found.body());
  }

  private static HttpRequest completion(String server, String key, String content) {
    return HttpRequest.newBuilder(URI.create(server + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"demo\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\","
                    + "\"content\":"
                    + Api.q(content)
                    + "}]}"))
        .build();
  }

  private static int complete(String server, String key, String content) throws Exception {
    return HTTP.send(completion(server, key, content), BodyHandlers.ofString()).statusCode();
  }

  /** {@code calls} calls at once, call {@code i} made by {@code call.apply(i)}; their results. */
  private static <T> List<T> parallel(int calls, IntCall<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int made = i;
        futures.add(pool.submit(() -> call.apply(made)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(2, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private interface IntCall<T> {
    T apply(int call) throws Exception;
  }

  private static String token(String server) throws Exception {
    var answer =
        post(
            server + "/api/v1/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":" + Api.q(cluster.adminPassword()) + "}");
    assertEquals(200, answer.statusCode(), answer.body());
    return Json.object(answer.body()).getString("accessToken");
  }

  private static long conversation(String server, String token) throws Exception {
    var answer =
        post(
            server + "/api/v1/conversations",
            token,
            "{\"model\":\"demo\",\"title\":\"Cluster test\"}");
    assertEquals(201, answer.statusCode(), answer.body());
    return Json.object(answer.body()).getJsonNumber("id").longValue();
  }

  private static HttpResponse<String> models(String server, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server + "/v1/models"))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String token, String json) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Asks {@code server} to stop the reply. */
  private static HttpResponse<String> stop(
      String server, String token, long conversation, long reply) throws Exception {
    return post(
        server + "/api/v1/conversations/" + conversation + "/messages/" + reply + "/stop",
        token,
        "");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
