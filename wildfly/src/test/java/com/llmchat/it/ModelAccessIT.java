package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.simulator.Simulator;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Groups and model permissions: a shared model opened to chosen groups is reached by their members
 * only — through every endpoint that takes a model, found by reflection (the REST API) and from the
 * published OpenAPI document ({@code /v1}) — and a withdrawal counts from the next request.
 */
class ModelAccessIT extends DeployedEar {

  /** The model server behind the restricted models: nothing may reach it for an outsider. */
  private static Simulator restrictedServer;

  @BeforeAll
  static void servers() {
    Platform.simulator();
    restrictedServer = Platform.extraSimulator("127.0.0.1", null, null);
  }

  static long group(String prefix, boolean ownProviders) throws Exception {
    var created =
        Api.post(
            "v1/admin/groups",
            Tokens.admin(),
            "{\"name\":"
                + Api.q(prefix + "-" + UUID.randomUUID().toString().substring(0, 6))
                + ",\"description\":\"for a test\",\"ownProviders\":"
                + ownProviders
                + "}");
    assertEquals(201, created.statusCode(), created.body());
    return Json.object(created.body()).getJsonNumber("id").longValue();
  }

  static void join(long group, long account) throws Exception {
    var joined = Api.put("v1/admin/groups/" + group + "/members/" + account, Tokens.admin(), null);
    assertEquals(204, joined.statusCode(), joined.body());
  }

  static void leave(long group, long account) throws Exception {
    var left = Api.delete("v1/admin/groups/" + group + "/members/" + account, Tokens.admin());
    assertEquals(204, left.statusCode(), left.body());
  }

  /** Opens a shared model to exactly these groups (none: everybody). */
  static void openTo(String alias, long... groups) throws Exception {
    String ids =
        java.util.Arrays.stream(groups).mapToObj(String::valueOf).collect(Collectors.joining(","));
    var granted =
        Api.put("v1/admin/model-access/" + alias, Tokens.admin(), "{\"groups\":[" + ids + "]}");
    assertEquals(200, granted.statusCode(), granted.body());
    assertEquals(groups.length == 0, Json.object(granted.body()).getBoolean("everybody"));
  }

  private static List<String> models(String token) throws Exception {
    var models = Api.get("v1/models", token);
    assertEquals(200, models.statusCode(), models.body());
    return Json.array(models.body()).stream()
        .map(model -> model.asJsonObject().getString("id"))
        .toList();
  }

  private static HttpResponse<String> gateway(String method, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(Platform.APP + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return Platform.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String chatBody(String model) {
    return "{\"model\":"
        + Api.q(model)
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello [sim tokens=2 gap-ms=1]\"}]}";
  }

  @Test
  void aModelOpenToAGroupIsReachedThroughNoEndpointByAnOutsider() throws Exception {
    String chat = SharedModels.add("restricted", restrictedServer.baseUrl(), "");
    String embedding =
        SharedModels.add(
            "restricted-embed", restrictedServer.baseUrl(), "", ",\"kind\":\"EMBEDDING\"");
    var outsider = TestAccounts.user("outsider");
    // what the outsider made while the model was open to everybody
    long conversation = SseClient.conversation(outsider.accessToken(), chat);
    var first =
        SseClient.send(outsider.accessToken(), conversation, "hello [sim tokens=2 gap-ms=1]", null);
    assertEquals(200, first.status());
    String key = TestKeys.key(outsider.accessToken(), "{\"name\":\"outsider's app\"}");
    long keyId = TestKeys.keyId(outsider.accessToken(), key);
    long research = group("research", false);
    openTo(chat, research);
    openTo(embedding, research);
    String messagesBefore =
        Api.get("v1/conversations/" + conversation + "/messages", outsider.accessToken()).body();

    long before = restrictedServer.requests();
    Map<String, String> fixtures =
        Map.ofEntries(
            Map.entry("id", String.valueOf(outsider.id())),
            Map.entry("accountId", String.valueOf(outsider.id())),
            Map.entry("groupId", String.valueOf(research)),
            Map.entry("name", "registration"),
            Map.entry("providerId", "0"),
            Map.entry("modelId", "0"),
            Map.entry("conversationId", String.valueOf(conversation)),
            Map.entry("messageId", String.valueOf(first.replyId())),
            Map.entry("keyId", String.valueOf(keyId)),
            Map.entry("budgetId", "0"),
            Map.entry("presetId", "0"),
            Map.entry("attachmentId", "0"),
            Map.entry("alias", chat),
            Map.entry("model", chat),
            Map.entry("file", "not-a-docs-file.js"));
    String body =
        "{\"model\":"
            + Api.q(chat)
            + ",\"models\":["
            + Api.q(chat)
            + ","
            + Api.q(embedding)
            + "],\"content\":\"again [sim tokens=2 gap-ms=1]\",\"title\":\"t\",\"name\":\"n\""
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"input\":\"hi\"}";
    List<String> leaks = new ArrayList<>();
    int called = 0;
    for (OwnershipIT.Endpoint endpoint : OwnershipIT.endpoints()) {
      // deleting or logging out takes no model, and would end the outsider's session or history
      if (endpoint.method().equals("DELETE") || endpoint.path().startsWith("v1/auth")) {
        continue;
      }
      String path = OwnershipIT.fill(endpoint.path(), fixtures);
      var response =
          Api.call(
              endpoint.method(), path, outsider.accessToken(), endpoint.hasBody() ? body : null);
      called++;
      // what concerns the outsider's existing conversation names its model: checked below instead
      if (!endpoint.path().contains("{conversationId}")) {
        check(endpoint.toString(), response, chat, leaks);
      }
    }
    // /v1 as its OpenAPI document publishes it, with the outsider's key
    JsonObject document = openApi();
    for (var path : document.getJsonObject("paths").entrySet()) {
      for (String method : path.getValue().asJsonObject().keySet()) {
        if (!List.of("get", "post", "put").contains(method)) {
          continue;
        }
        String filled = OwnershipIT.fill(path.getKey(), fixtures);
        String target = filled.startsWith("/v1") ? filled : "/v1" + filled;
        var response =
            gateway(
                method.toUpperCase(java.util.Locale.ROOT),
                target,
                key,
                method.equals("get") ? null : body);
        called++;
        check(method + " " + target, response, chat, leaks);
        if (target.contains("embeddings")) {
          check(
              "embeddings",
              gateway("POST", target, key, "{\"model\":" + Api.q(embedding) + ",\"input\":\"x\"}"),
              embedding,
              leaks);
        }
      }
    }
    assertTrue(called > 30, "only " + called + " endpoints called");
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    assertEquals(before, restrictedServer.requests(), "the restricted model server was reached");
    assertFalse(models(outsider.accessToken()).contains(chat));
    assertFalse(models(outsider.accessToken()).contains(embedding));
    var gatewayModels = gateway("GET", "/v1/models", key, null);
    assertFalse(gatewayModels.body().contains(chat), gatewayModels.body());
    // nothing of the outsider's changed to or took the model
    assertEquals(
        messagesBefore,
        Api.get("v1/conversations/" + conversation + "/messages", outsider.accessToken()).body());
    long withModel =
        Json.object(Api.get("v1/conversations", outsider.accessToken()).body())
            .getJsonArray("items")
            .stream()
            .filter(c -> chat.equals(c.asJsonObject().getString("model", "")))
            .count();
    assertEquals(1, withModel, "a conversation with the withdrawn model was made");
    for (JsonValue listed : Json.array(Api.get("v1/keys", outsider.accessToken()).body())) {
      assertFalse(listed.toString().contains(chat), listed.toString());
    }
    for (JsonValue listed : Json.array(Api.get("v1/presets", outsider.accessToken()).body())) {
      assertFalse(listed.toString().contains(chat), "a preset took the model: " + listed);
    }
    // nor can a conversation of another model be switched to it
    long other = SseClient.conversation(outsider.accessToken(), "demo");
    var switched =
        Api.call(
            "PATCH",
            "v1/conversations/" + other,
            outsider.accessToken(),
            "{\"model\":" + Api.q(chat) + "}");
    assertEquals(404, switched.statusCode(), switched.body());
    assertEquals(
        "demo",
        Json.object(Api.get("v1/conversations/" + other, outsider.accessToken()).body())
            .getString("model"));
  }

  private static void check(
      String endpoint, HttpResponse<String> response, String model, List<String> leaks) {
    int status = response.statusCode();
    assertNotEquals(500, status, endpoint + " failed with 500: " + response.body());
    boolean success = status >= 200 && status < 300;
    boolean isRead = endpoint.startsWith("GET") || endpoint.startsWith("get");
    // the outsider's own history may name the model; what answers a change or a call may not
    if (success && !isRead && response.body().contains(model)) {
      leaks.add(endpoint + " answered " + status + " with the model: " + response.body());
    }
  }

  private static JsonObject openApi() throws Exception {
    var document =
        Platform.HTTP.send(
            HttpRequest.newBuilder(URI.create(Platform.APP + "/openapi/v1"))
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, document.statusCode(), document.body());
    return Json.object(document.body());
  }

  @Test
  void aMemberReachesTheModelAndLosesItOnTheNextRequestWhenWithdrawn() throws Exception {
    String chat = SharedModels.add("department", restrictedServer.baseUrl(), "");
    var member = TestAccounts.user("member");
    String key = TestKeys.key(member.accessToken(), "{\"name\":\"member's app\"}");
    long sales = group("sales", false);
    long support = group("support", false);
    join(sales, member.id());
    openTo(chat, sales);

    assertTrue(models(member.accessToken()).contains(chat));
    long conversation = SseClient.conversation(member.accessToken(), chat);
    var reply =
        SseClient.send(member.accessToken(), conversation, "hi [sim tokens=2 gap-ms=1]", null);
    assertEquals(1, reply.named("done").size(), reply.events().toString());
    assertEquals(200, gateway("POST", "/v1/chat/completions", key, chatBody(chat)).statusCode());

    // out of the group: the very next requests are refused, in the chat and through /v1
    leave(sales, member.id());
    assertFalse(models(member.accessToken()).contains(chat));
    var refused = SseClient.send(member.accessToken(), conversation, "and now?", null);
    assertEquals(404, refused.status(), refused.events().toString());
    var gatewayRefused = gateway("POST", "/v1/chat/completions", key, chatBody(chat));
    assertEquals(404, gatewayRefused.statusCode(), gatewayRefused.body());
    assertEquals(
        "model_not_found",
        Json.object(gatewayRefused.body()).getJsonObject("error").getString("code"));
    var newKey =
        Api.post(
            "v1/keys", member.accessToken(), "{\"name\":\"k\",\"models\":[" + Api.q(chat) + "]}");
    assertEquals(404, newKey.statusCode(), newKey.body());

    // back in, then the model withdrawn from the group instead: the same at once
    join(sales, member.id());
    assertEquals(200, gateway("POST", "/v1/chat/completions", key, chatBody(chat)).statusCode());
    openTo(chat, support);
    assertEquals(404, gateway("POST", "/v1/chat/completions", key, chatBody(chat)).statusCode());
    // and open to everybody again
    openTo(chat);
    assertEquals(200, gateway("POST", "/v1/chat/completions", key, chatBody(chat)).statusCode());
    var stored = Api.get("v1/admin/audit?action=model-access", Tokens.admin()).body();
    assertTrue(stored.contains(chat), stored);
  }

  @Test
  void aGroupDecidesWhetherItsMembersMayAddModelServersOfTheirOwn() throws Exception {
    var user = TestAccounts.user("tinkerer");
    String ownServer = Platform.extraSimulator("127.0.0.2", null, null).baseUrl();
    String provider = "{\"name\":\"my server\",\"baseUrl\":" + Api.q(ownServer) + "}";
    // new accounts join the default group, which allows own servers (as before groups existed)
    var groups = Json.array(Api.get("v1/users/me/groups", user.accessToken()).body());
    assertTrue(groups.toString().contains("\"users\""), groups.toString());
    var created = Api.post("v1/providers", user.accessToken(), provider);
    assertEquals(201, created.statusCode(), created.body());
    long providerId = Json.object(created.body()).getJsonNumber("id").longValue();
    var model =
        Api.post(
            "v1/providers/" + providerId + "/models",
            user.accessToken(),
            "{\"upstreamId\":\"demo\",\"alias\":\"my-own\"}");
    assertEquals(201, model.statusCode(), model.body());
    assertTrue(models(user.accessToken()).contains("my-own"));

    // in no group that allows them: neither added nor offered
    var placed =
        Api.put("v1/admin/users/" + user.id() + "/groups", Tokens.admin(), "{\"groups\":[]}");
    assertEquals(200, placed.statusCode(), placed.body());
    var refused = Api.post("v1/providers", user.accessToken(), provider);
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("own-providers-not-allowed"), refused.body());
    assertFalse(models(user.accessToken()).contains("my-own"));

    // a group that allows them
    long lab = group("lab", false);
    join(lab, user.id());
    assertEquals(403, Api.post("v1/providers", user.accessToken(), provider).statusCode());
    var allowed = Api.put("v1/admin/groups/" + lab, Tokens.admin(), "{\"ownProviders\":true}");
    assertEquals(200, allowed.statusCode(), allowed.body());
    assertTrue(models(user.accessToken()).contains("my-own"));
    assertEquals(
        201,
        Api.post(
                "v1/providers",
                user.accessToken(),
                "{\"name\":\"second\",\"baseUrl\":" + Api.q(ownServer) + "}")
            .statusCode());
  }

  @Test
  void newAccountsJoinTheDefaultGroupWhichCannotBeDeletedAndChangesAreAudited() throws Exception {
    long defaultGroup = group("newcomers", false);
    String name =
        Json.object(Api.get("v1/admin/groups/" + defaultGroup, Tokens.admin()).body())
            .getString("name");
    try {
      var chosen =
          Api.put(
              "v1/admin/settings/default-group", Tokens.admin(), "{\"value\":" + Api.q(name) + "}");
      assertEquals(200, chosen.statusCode(), chosen.body());
      var newcomer = TestAccounts.user("newcomer");
      var groups = Json.array(Api.get("v1/users/me/groups", newcomer.accessToken()).body());
      assertEquals(1, groups.size(), groups.toString());
      assertEquals(name, groups.getJsonObject(0).getString("name"));
      var listed = Json.object(Api.get("v1/admin/groups/" + defaultGroup, Tokens.admin()).body());
      assertTrue(listed.getBoolean("defaultGroup"));
      assertEquals(1, listed.getJsonNumber("members").longValue());

      var deleted = Api.delete("v1/admin/groups/" + defaultGroup, Tokens.admin());
      assertEquals(409, deleted.statusCode(), deleted.body());
      assertTrue(deleted.body().contains("default-group"), deleted.body());
      var unknown =
          Api.put(
              "v1/admin/settings/default-group", Tokens.admin(), "{\"value\":\"no-such-group\"}");
      assertEquals(400, unknown.statusCode(), unknown.body());
      var taken =
          Api.post(
              "v1/admin/groups", Tokens.admin(), "{\"name\":" + Api.q(name.toUpperCase()) + "}");
      assertEquals(409, taken.statusCode(), taken.body());
    } finally {
      Api.put("v1/admin/settings/default-group", Tokens.admin(), "{\"value\":\"users\"}");
    }
    assertEquals(204, Api.delete("v1/admin/groups/" + defaultGroup, Tokens.admin()).statusCode());
    String audit = Api.get("v1/admin/audit?limit=500", Tokens.admin()).body();
    assertTrue(audit.contains("\"group-create\""), audit);
    assertTrue(audit.contains("\"group-delete\""), audit);
    assertTrue(audit.contains("\"group-member-add\"") || audit.contains("\"account-groups\""));
  }
}
