package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The OpenAI-compatible API at {@code /v1}: one way in, by personal API key, checked on every
 * request; errors in OpenAI's shape; {@code x-request-id} on every answer.
 */
class OpenAiApiIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  /** A call to /v1 with these headers (name, value, ...). */
  private static HttpResponse<String> call(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(Platform.APP + "/v1/" + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return Platform.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String key) throws Exception {
    return call("GET", path, "Authorization", "Bearer " + key);
  }

  private static List<String> modelIds(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    JsonObject list = Json.object(response.body());
    assertEquals("list", list.getString("object"));
    return list.getJsonArray("data").stream()
        .map(model -> model.asJsonObject().getString("id"))
        .toList();
  }

  private static void assertInvalidKey(HttpResponse<String> response) {
    assertEquals(401, response.statusCode(), response.body());
    JsonObject error = Json.object(response.body()).getJsonObject("error");
    assertEquals("invalid_api_key", error.getString("code"), response.body());
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(response.headers().firstValue("x-request-id").isPresent());
  }

  @Test
  void aKeyListsItsOwnersModelsWithARequestIdAndNoSession() throws Exception {
    var user = TestAccounts.user("gateway");
    String key = TestKeys.key(user.accessToken(), "{\"name\":\"App\"}");
    var models = get("models", key);
    assertTrue(modelIds(models).contains("demo"), models.body());
    assertTrue(
        models.headers().firstValue("x-request-id").orElse("").startsWith("req_"),
        models.headers().toString());
    assertTrue(models.headers().allValues("set-cookie").isEmpty(), "a session was opened");

    String mine = "trace-" + UUID.randomUUID();
    var traced = call("GET", "models/demo", "Authorization", "Bearer " + key, "x-request-id", mine);
    assertEquals(200, traced.statusCode(), traced.body());
    assertEquals("demo", Json.object(traced.body()).getString("id"));
    assertEquals(mine, traced.headers().firstValue("x-request-id").orElse(""));

    JsonObject listed = Json.array(Api.get("v1/keys", user.accessToken()).body()).getJsonObject(0);
    assertFalse(listed.isNull("lastUsedAt"), "the use is not recorded: " + listed);
  }

  @Test
  void withoutAValidKeyTheAnswerIs401InOpenAisShape() throws Exception {
    assertInvalidKey(call("GET", "models"));
    assertInvalidKey(get("models", "sk-llmchat-" + "x".repeat(43)));
    assertInvalidKey(get("models", "not-a-key"));
    assertInvalidKey(call("GET", "models", "Authorization", "Basic dXNlcjpwYXNz"));
    var access = TestAccounts.user("token-not-key").accessToken();
    assertInvalidKey(get("models", access));
    var unknownPath = get("nothing-here", TestKeys.key(access, "{\"name\":\"Path\"}"));
    assertEquals(404, unknownPath.statusCode(), unknownPath.body());
    assertEquals(
        "not_found", Json.object(unknownPath.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void xApiKeyGoesThroughTheSameChecks() throws Exception {
    String token = TestAccounts.user("x-api-key").accessToken();
    String key = TestKeys.key(token, "{\"name\":\"Other client\"}");
    var works = call("GET", "models", "x-api-key", key);
    assertTrue(modelIds(works).contains("demo"), works.body());

    assertEquals(200, Api.delete("v1/keys/" + TestKeys.keyId(token, key), token).statusCode());
    assertInvalidKey(call("GET", "models", "x-api-key", key));
    assertInvalidKey(get("models", key));
  }

  @Test
  void aRevokedExpiredOrDisabledOwnersKeyStopsOnTheNextRequest() throws Exception {
    var user = TestAccounts.user("stopped");
    String token = user.accessToken();

    String revoked = TestKeys.key(token, "{\"name\":\"Revoked\"}");
    assertEquals(200, get("models", revoked).statusCode());
    assertEquals(
        200,
        Api.delete("v1/admin/keys/" + TestKeys.keyId(token, revoked), Tokens.admin()).statusCode());
    assertInvalidKey(get("models", revoked));

    // a key seen a moment ago is answered from memory: its expiry is still checked every time
    String expiring =
        TestKeys.key(
            token,
            "{\"name\":\"Expiring\",\"expiresAt\":"
                + Api.q(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3).toString())
                + "}");
    assertEquals(200, get("models", expiring).statusCode());
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> get("models", expiring).statusCode() == 401);
    assertInvalidKey(get("models", expiring));

    String owners = TestKeys.key(token, "{\"name\":\"Owner's\"}");
    assertEquals(200, get("models", owners).statusCode());
    assertEquals(
        200,
        Api.post("v1/admin/users/" + user.id() + "/disable", Tokens.admin(), null).statusCode());
    assertInvalidKey(get("models", owners));
    assertEquals(
        200,
        Api.post("v1/admin/users/" + user.id() + "/enable", Tokens.admin(), null).statusCode());
    assertEquals(200, get("models", owners).statusCode(), "enabled again, the key works again");
  }

  @Test
  void aKeyLimitedToAModelSeesOnlyThatOne() throws Exception {
    String token = TestAccounts.user("narrow").accessToken();
    String other = SharedModels.add("wide", "");
    String key = TestKeys.key(token, "{\"name\":\"Demo only\",\"models\":[\"demo\"]}");
    assertEquals(List.of("demo"), modelIds(get("models", key)));
    var refused = get("models/" + other, key);
    assertEquals(404, refused.statusCode(), refused.body());
    assertEquals(
        "model_not_found", Json.object(refused.body()).getJsonObject("error").getString("code"));

    String unlimited = TestKeys.key(token, "{\"name\":\"All\"}");
    assertTrue(modelIds(get("models", unlimited)).contains(other));
    assertEquals(200, get("models/" + other, unlimited).statusCode());
  }

  @Test
  void aKeyNeverReachesAnotherUsersOwnModels() throws Exception {
    var a = TestAccounts.user("own-models-a");
    var simulator = Platform.extraSimulator("127.0.0.2", null, null);
    var provider =
        Api.post(
            "v1/providers",
            a.accessToken(),
            "{\"name\":\"A's server\",\"baseUrl\":" + Api.q(simulator.baseUrl()) + "}");
    assertEquals(201, provider.statusCode(), provider.body());
    String alias = "a-only-" + UUID.randomUUID().toString().substring(0, 6);
    var model =
        Api.post(
            "v1/providers/" + Json.object(provider.body()).getJsonNumber("id") + "/models",
            a.accessToken(),
            "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + "}");
    assertEquals(201, model.statusCode(), model.body());
    assertTrue(
        modelIds(get("models", TestKeys.key(a.accessToken(), "{\"name\":\"A\"}"))).contains(alias));

    String b = TestKeys.key(TestAccounts.user("own-models-b").accessToken(), "{\"name\":\"B\"}");
    assertFalse(modelIds(get("models", b)).contains(alias));
    assertEquals(404, get("models/" + alias, b).statusCode());
    long requests = Platform.stat(simulator, "requests");
    for (boolean stream : new boolean[] {false, true}) {
      var refused = post("chat/completions", b, chat(alias, "Hi", stream));
      assertEquals(404, refused.statusCode(), refused.body());
      assertEquals(
          "model_not_found", Json.object(refused.body()).getJsonObject("error").getString("code"));
    }
    assertEquals(requests, Platform.stat(simulator, "requests"), "A's model server was called");
  }

  private static HttpResponse<String> post(String path, String key, String body) throws Exception {
    return Platform.HTTP.send(
        HttpRequest.newBuilder(URI.create(Platform.APP + "/v1/" + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestGoesToTheModelServerAsItCameWithOnlyTheModelReplaced() throws Exception {
    String key = TestKeys.key(TestAccounts.user("as-it-came").accessToken(), "{\"name\":\"Raw\"}");
    String alias = SharedModels.add("passed", "");
    JsonObject sent =
        Json.object(
            "{\"model\":"
                + Api.q(alias)
                + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is"
                + " this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}],"
                + "\"response_format\":{\"type\":\"json_object\"},\"tool_choice\":\"none\","
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"temperature\":0.25,\"seed\":7,\"max_completion_tokens\":5,\"vendor_extra\":{\"keep\":[1,2]}}");
    var answer = post("chat/completions", key, sent.toString());
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("chat.completion", Json.object(answer.body()).getString("object"));

    JsonObject received = Json.object(Platform.simulator().lastCompletion().encode());
    assertEquals("demo", received.getString("model"), "the alias becomes the upstream's id");
    for (String field : sent.keySet()) {
      if (!field.equals("model")) {
        assertEquals(sent.get(field), received.get(field), field + " in " + received);
      }
    }
  }

  @Test
  void aStreamIsPassedOnAsItComesReasoningIncluded() throws Exception {
    String key = TestKeys.key(TestAccounts.user("raw-stream").accessToken(), "{\"name\":\"SSE\"}");
    var answer =
        post(
            "chat/completions",
            key,
            "{\"model\":\"demo\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Think [sim tokens=3 reasoning-tokens=2 gap-ms=1]\"}]}");
    assertEquals(200, answer.statusCode(), answer.body());
    assertTrue(
        answer.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertTrue(answer.headers().firstValue("x-request-id").isPresent());
    String body = answer.body();
    assertTrue(body.contains("\"reasoning_content\":\" thinking1\""), body);
    assertTrue(body.strip().endsWith("data: [DONE]"), body);
    assertFalse(body.contains("\"usage\""), "usage the application did not ask for: " + body);
  }

  @Test
  void aBadRequestIs400InOpenAisShape() throws Exception {
    String key = TestKeys.key(TestAccounts.user("bad-body").accessToken(), "{\"name\":\"Bad\"}");
    String[][] cases = {
      {"not json", ""},
      {"[1,2]", ""},
      {"{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "model"},
      {"{\"model\":\"demo\"}", "messages"},
      {"{\"model\":\"demo\",\"messages\":[]}", "messages"},
      {
        "{\"model\":\"demo\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "stream"
      },
      // numbers the JSON parser cannot read (an exponent past an int; more than 1,100 digits, which
      // used to end in a 500 outside OpenAI's shape)
      {"{\"model\":\"demo\",\"temperature\":1e99999999999}", ""},
      {"{\"model\":\"demo\",\"seed\":" + "7".repeat(1200) + "}", ""}
    };
    for (String[] bad : cases) {
      var answer = post("chat/completions", key, bad[0]);
      assertEquals(400, answer.statusCode(), bad[0] + " → " + answer.body());
      JsonObject error = Json.object(answer.body()).getJsonObject("error");
      assertEquals("invalid_request_error", error.getString("type"), answer.body());
      assertEquals(bad[1], error.isNull("param") ? "" : error.getString("param"), answer.body());
    }
  }

  /** The ledger of a key: "rows outcome source completion-tokens" of each row, oldest first. */
  private static String ledgerOf(long keyId) throws Exception {
    return Platform.queryOne(
        "select coalesce(string_agg(outcome || ' ' || source || ' ' || completion_tokens, ';'"
            + " order by id), '') from usage_record where api_key_id = ?",
        keyId);
  }

  private static String chat(String message, boolean stream) {
    return chat("demo", message, stream);
  }

  private static String chat(String model, String message) {
    return chat(model, message, false);
  }

  private static String chat(String model, String message, boolean stream) {
    return "{\"model\":"
        + Api.q(model)
        + ",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":"
        + Api.q(message)
        + "}]}";
  }

  @Test
  void aCallThatEndsEarlyIsAccountedOnceWithWhatWasGenerated() throws Exception {
    String token = TestAccounts.user("early-end").accessToken();
    String key = TestKeys.key(token, "{\"name\":\"Early\"}");
    long keyId = TestKeys.keyId(token, key);

    // no model server answers: an HTTP error, and nothing in the ledger
    var refused = post("chat/completions", key, chat("Hi [sim fault=http-500]", true));
    assertEquals(502, refused.statusCode(), refused.body());
    assertEquals(
        "server_error", Json.object(refused.body()).getJsonObject("error").getString("type"));
    assertEquals("", ledgerOf(keyId));

    // the model server breaks off after 3 pieces: the stream ends with an error chunk
    var broken =
        post("chat/completions", key, chat("Hi [sim tokens=10 gap-ms=2 fault=reset:4]", true));
    assertEquals(200, broken.statusCode(), broken.body());
    assertTrue(broken.body().contains("data: {\"error\":"), broken.body());
    assertFalse(broken.body().contains("[DONE]"), broken.body());
    assertEquals("FAILED ESTIMATED 3", ledgerOf(keyId));

    // the application hangs up after the first lines: what was generated until then
    var request =
        HttpRequest.newBuilder(URI.create(Platform.APP + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    chat("Hi [sim tokens=500 gap-ms=20 usage=false]", true)))
            .build();
    var lines = Platform.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, lines.statusCode());
    try (var stream = lines.body()) {
      assertEquals(6, stream.filter(line -> line.startsWith("data:")).limit(6).count());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ledgerOf(keyId).contains(";CANCELLED"));
    String[] rows = ledgerOf(keyId).split(";");
    assertEquals(2, rows.length, String.join(";", rows));
    int generated = Integer.parseInt(rows[1].split(" ")[2]);
    assertTrue(generated >= 5 && generated < 500, rows[1]);
  }

  @Test
  void administratorsSeeTodaysCallsAndEachProvidersHealth() throws Exception {
    String key = TestKeys.key(TestAccounts.user("stats").accessToken(), "{\"name\":\"Stats\"}");
    String healthy = SharedModels.add("stats-ok", "");
    String failing = SharedModels.add("stats-down", "");
    assertEquals(
        200, post("chat/completions", key, chat(healthy, "Hi [sim tokens=2]")).statusCode());
    assertEquals(
        502, post("chat/completions", key, chat(failing, "Hi [sim fault=http-500]")).statusCode());

    JsonObject stats = Json.object(Api.get("v1/admin/stats", Tokens.admin()).body());
    JsonObject today = stats.getJsonObject("today");
    assertTrue(today.getJsonNumber("requests").longValue() >= 1, stats.toString());
    assertTrue(today.getJsonNumber("apiRequests").longValue() >= 1, stats.toString());
    assertTrue(today.getJsonNumber("completionTokens").longValue() >= 2, stats.toString());
    assertTrue(stats.getInt("activeCalls") >= 0);
    JsonObject ok = provider(stats, "Provider of " + healthy);
    assertEquals("closed", ok.getString("breaker"));
    assertEquals(1, ok.getInt("recentCalls"), ok.toString());
    assertEquals(0, ok.getInt("recentFailures"), ok.toString());
    assertEquals(1, ok.getInt("requestsToday"), ok.toString());
    assertFalse(ok.isNull("firstTokenP50Ms"), ok.toString());
    JsonObject down = provider(stats, "Provider of " + failing);
    assertEquals(1, down.getInt("recentFailures"), down.toString());
    assertEquals(1.0, down.getJsonNumber("recentErrorRate").doubleValue(), down.toString());
    assertEquals(0, down.getInt("requestsToday"), "no model answered: nothing in the ledger");
    assertFalse(down.containsKey("firstTokenP50Ms"), down.toString());

    assertEquals(
        403, Api.get("v1/admin/stats", TestAccounts.user("not-admin").accessToken()).statusCode());
  }

  private static JsonObject provider(JsonObject stats, String name) {
    return stats.getJsonArray("providers").stream()
        .map(JsonValue::asJsonObject)
        .filter(provider -> provider.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + stats));
  }

  @Test
  void bothApisAreDescribedAndBrowsableOffline() throws Exception {
    var rest = Platform.get(Platform.APP + "/api/openapi?format=JSON", null);
    assertEquals(200, rest.statusCode(), rest.body());
    JsonObject restPaths = Json.object(rest.body()).getJsonObject("paths");
    for (String path :
        List.of(
            "/api/v1/auth/login",
            "/api/v1/conversations",
            "/api/v1/admin/stats",
            "/api/v1/keys",
            "/api/v1/version")) {
      assertTrue(restPaths.containsKey(path), path + " in " + restPaths.keySet());
    }
    assertFalse(restPaths.keySet().stream().anyMatch(path -> path.startsWith("/api/docs")));

    var v1 = Platform.get(Platform.APP + "/openapi/v1?format=JSON", null);
    assertEquals(200, v1.statusCode(), v1.body());
    JsonObject document = Json.object(v1.body());
    assertEquals(
        List.of("/v1/chat/completions", "/v1/embeddings", "/v1/models", "/v1/models/{model}"),
        document.getJsonObject("paths").keySet().stream().sorted().toList());
    assertTrue(
        document.getJsonObject("components").getJsonObject("securitySchemes").containsKey("apiKey"),
        v1.body());
    // an address written as <host> is shown as code, not swallowed as an HTML tag
    assertTrue(
        document.getJsonObject("info").getString("description").contains("`http://<host>:8080/v1`"),
        v1.body());

    // its scripts come from this server only: Swagger UI rendering below means they ran under it
    var page = Platform.get(Platform.APP + "/api/docs", null);
    assertEquals(200, page.statusCode());
    assertTrue(
        page.headers()
            .firstValue("content-security-policy")
            .orElse("")
            .contains("script-src 'self';"),
        page.headers().toString());
    assertEquals(404, Platform.get(Platform.APP + "/api/docs/pom.xml", null).statusCode());
    try (Browser browser = new Browser()) {
      browser.open("/api/docs");
      browser
          .waitSaying(
              () -> "Swagger UI did not show the REST API: " + browser.driver.getPageSource())
          .until(driver -> driver.findElements(By.cssSelector(".opblock")).size() > 20);
      assertEquals(
          "LLM Chat REST API",
          browser.js("return document.querySelector('.title').firstChild.textContent.trim();"));
      browser.screenshot("api-docs.png");
      browser.open(
          "/api/docs?urls.primaryName="
              + java.net.URLEncoder.encode(
                  "OpenAI-compatible API for applications (/v1)",
                  java.nio.charset.StandardCharsets.UTF_8));
      browser
          .waitSaying(() -> "the /v1 document was not shown: " + browser.driver.getPageSource())
          .until(driver -> driver.findElements(By.cssSelector(".opblock")).size() == 4);
      assertTrue(
          browser
              .js("return document.querySelector('.info .description').innerText;")
              .toString()
              .contains("http://<host>:8080/v1"),
          "the base URL as rendered");
      browser.screenshot("api-docs-v1.png");
    }
  }

  @Test
  void aRequestTheModelServerRefusesIs400WithItsWordsAndPausesNobody() throws Exception {
    String key =
        TestKeys.key(TestAccounts.user("refused-request").accessToken(), "{\"name\":\"Long\"}");
    String alias = SharedModels.add("refusing", "");
    String words =
        java.util.Base64.getEncoder()
            .encodeToString(
                "Context too long: 9000 tokens for sk-upstreamsecret123456"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // more refusals than it takes failures to open the breaker (5)
    for (int i = 0; i < 7; i++) {
      var refused =
          post(
              "chat/completions",
              key,
              chat(alias, "Long [sim fault=http-400 reply-b64=" + words + "]"));
      assertEquals(400, refused.statusCode(), refused.body());
      JsonObject error = Json.object(refused.body()).getJsonObject("error");
      assertEquals("upstream_refused", error.getString("code"));
      assertEquals("invalid_request_error", error.getString("type"));
      assertTrue(
          error.getString("message").startsWith("Context too long: 9000 tokens"), refused.body());
      assertFalse(refused.body().contains("upstreamsecret"), refused.body());
    }
    var answered = post("chat/completions", key, chat(alias, "Short [sim tokens=2]"));
    assertEquals(200, answered.statusCode(), "the provider was paused: " + answered.body());
  }

  @Test
  void aNewKeyUsedByManyRequestsAtOnceServesThemAll() throws Exception {
    // the first uses of a key, in parallel, before any is cached: each notes the use
    String key = TestKeys.key(TestAccounts.user("parallel").accessToken(), "{\"name\":\"Burst\"}");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(24);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 24; i++) {
        calls.add(pool.submit(() -> get("models", key)));
      }
      for (var call : calls) {
        var answer = call.get();
        assertEquals(200, answer.statusCode(), answer.body());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
