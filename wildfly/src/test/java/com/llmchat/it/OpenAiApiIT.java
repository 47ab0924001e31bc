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

  /** A new key of the user's; {@code body} as POST /api/v1/keys takes it. */
  private static String key(String token, String body) throws Exception {
    var made = Api.post("v1/keys", token, body);
    assertEquals(201, made.statusCode(), made.body());
    return Json.object(made.body()).getString("secret");
  }

  private static long keyId(String token, String secret) throws Exception {
    for (JsonValue key : Json.array(Api.get("v1/keys", token).body())) {
      if (secret.startsWith(key.asJsonObject().getString("prefix"))) {
        return key.asJsonObject().getJsonNumber("id").longValue();
      }
    }
    throw new AssertionError("no key " + secret.substring(0, 17));
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
    String key = key(user.accessToken(), "{\"name\":\"App\"}");
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
    var unknownPath = get("nothing-here", key(access, "{\"name\":\"Path\"}"));
    assertEquals(404, unknownPath.statusCode(), unknownPath.body());
    assertEquals(
        "not_found", Json.object(unknownPath.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void xApiKeyGoesThroughTheSameChecks() throws Exception {
    String token = TestAccounts.user("x-api-key").accessToken();
    String key = key(token, "{\"name\":\"Other client\"}");
    var works = call("GET", "models", "x-api-key", key);
    assertTrue(modelIds(works).contains("demo"), works.body());

    assertEquals(200, Api.delete("v1/keys/" + keyId(token, key), token).statusCode());
    assertInvalidKey(call("GET", "models", "x-api-key", key));
    assertInvalidKey(get("models", key));
  }

  @Test
  void aRevokedExpiredOrDisabledOwnersKeyStopsOnTheNextRequest() throws Exception {
    var user = TestAccounts.user("stopped");
    String token = user.accessToken();

    String revoked = key(token, "{\"name\":\"Revoked\"}");
    assertEquals(200, get("models", revoked).statusCode());
    assertEquals(
        200, Api.delete("v1/admin/keys/" + keyId(token, revoked), Tokens.admin()).statusCode());
    assertInvalidKey(get("models", revoked));

    // a key seen a moment ago is answered from memory: its expiry is still checked every time
    String expiring =
        key(
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

    String owners = key(token, "{\"name\":\"Owner's\"}");
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
    String key = key(token, "{\"name\":\"Demo only\",\"models\":[\"demo\"]}");
    assertEquals(List.of("demo"), modelIds(get("models", key)));
    var refused = get("models/" + other, key);
    assertEquals(404, refused.statusCode(), refused.body());
    assertEquals(
        "model_not_found", Json.object(refused.body()).getJsonObject("error").getString("code"));

    String unlimited = key(token, "{\"name\":\"All\"}");
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
    assertTrue(modelIds(get("models", key(a.accessToken(), "{\"name\":\"A\"}"))).contains(alias));

    String b = key(TestAccounts.user("own-models-b").accessToken(), "{\"name\":\"B\"}");
    assertFalse(modelIds(get("models", b)).contains(alias));
    assertEquals(404, get("models/" + alias, b).statusCode());
  }
}
