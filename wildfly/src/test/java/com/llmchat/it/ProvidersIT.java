package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.simulator.Simulator;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Providers and models: administrators' shared ones and users' own, API keys sealed and never
 * shown, the SSRF guard on users' base URLs, a tampered key failing closed, key rotation.
 */
class ProvidersIT extends DeployedEar {

  /** Seeded at the start; it must never appear in a response or in server.log. */
  private static final String SENTINEL =
      Secrets.remember("sk-sentinel-" + UUID.randomUUID().toString().replace("-", ""));

  private static Simulator keyed;

  @BeforeAll
  static void modelServers() {
    Platform.simulator();
    keyed = Platform.extraSimulator("127.0.0.1", SENTINEL, null);
  }

  @Test
  void adminRegistersAProviderWithAModelAndAUserChatsWithIt() throws Exception {
    String alias = "lab-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject provider = sharedKeyedProvider("Lab " + alias);
    assertEquals("…" + SENTINEL.substring(SENTINEL.length() - 4), provider.getString("apiKeyHint"));
    assertTrue(provider.getBoolean("hasApiKey"));
    long id = provider.getJsonNumber("id").longValue();

    var check = Json.object(post("v1/admin/providers/" + id + "/test", Tokens.admin(), null));
    assertTrue(check.getBoolean("reachable"), check.toString());
    assertTrue(check.getJsonArray("models").toString().contains("demo"), check.toString());

    var model =
        Api.post(
            "v1/admin/providers/" + id + "/models",
            Tokens.admin(),
            "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + ",\"displayName\":\"Lab\"}");
    assertEquals(201, model.statusCode(), model.body());

    String user = TestAccounts.user("picker").accessToken();
    assertTrue(Api.get("v1/models", user).body().contains("\"" + alias + "\""));
    var chat = SseClient.chat(user, alias, "Hello lab [sim tokens=4 gap-ms=5]");
    assertTrue(chat.named("error").isEmpty(), chat.events().toString());
    assertEquals("This is a simulated", chat.content());
    assertEquals("Lab " + alias, chat.reply().getString("provider"));
  }

  @Test
  void aProviderSilentBeyondItsReadTimeoutIsReportedAsATimeout() throws Exception {
    String alias = SharedModels.add("slow", ",\"readTimeoutMs\":1000");

    var chat =
        SseClient.chat(TestAccounts.sharedUser().accessToken(), alias, "Hi [sim ttft-ms=5000]");
    var error = chat.named("error");
    assertFalse(error.isEmpty(), chat.events().toString());
    assertEquals(
        "upstream_timeout", Json.object(error.get(0).data()).getString("code"), error.toString());
    assertEquals("failed", chat.reply().getString("status"));
  }

  @Test
  void theStoredKeyIsSentAndAWrongOneIsReportedAsRefused() throws Exception {
    long id =
        Json.object(
                create(
                    "v1/admin/providers",
                    Tokens.admin(),
                    "Wrong key " + UUID.randomUUID(),
                    keyed.baseUrl(),
                    "sk-wrong-key-0000",
                    true))
            .getJsonNumber("id")
            .longValue();
    var check = Json.object(post("v1/admin/providers/" + id + "/test", Tokens.admin(), null));
    assertFalse(check.getBoolean("reachable"));
    assertTrue(check.getString("error").contains("refused the API key"), check.toString());
  }

  @Test
  void changingTheBaseUrlDropsTheKeyItWasSealedFor() throws Exception {
    JsonObject provider = sharedKeyedProvider("Moving " + UUID.randomUUID());
    long id = provider.getJsonNumber("id").longValue();
    var moved =
        Json.object(
            Api.put(
                    "v1/admin/providers/" + id,
                    Tokens.admin(),
                    "{\"baseUrl\":" + Api.q(Platform.simulator().baseUrl()) + "}")
                .body());
    assertFalse(moved.getBoolean("hasApiKey"), moved.toString());
    assertFalse(moved.containsKey("apiKeyHint"), moved.toString());
  }

  @Test
  void modelServerErrorBodiesAndAddressesReachOnlyTheLogAndTheProvidersOwner() throws Exception {
    String leaked = Secrets.remember("sk-echoed-" + UUID.randomUUID().toString().replace("-", ""));
    String body =
        "backend 10.9.8.7:8000 failed for Authorization: Bearer " + leaked + " api_key=" + leaked;
    String alias = SharedModels.add("leaky", "");
    String user = TestAccounts.sharedUser().accessToken();

    var chat =
        SseClient.chat(
            user,
            alias,
            "Hi [sim fault=http-500 reply-b64="
                + java.util.Base64.getEncoder().encodeToString(body.getBytes())
                + "]");
    var error = Json.object(chat.named("error").get(0).data());
    assertEquals("upstream_failed", error.getString("code"));
    String shown = chat.events().toString() + chat.reply();
    for (String secret : List.of(leaked, "10.9.8.7", "backend")) {
      assertFalse(shown.contains(secret), secret + " reached the user: " + shown);
    }
    var stored =
        Json.object(
                Api.get(
                        "v1/conversations/"
                            + chat.reply().getJsonNumber("conversationId")
                            + "/messages",
                        user)
                    .body())
            .getJsonArray("items");
    assertFalse(stored.toString().contains("10.9.8.7"), stored.toString());
    assertEquals(
        "upstream_failed",
        stored.stream()
            .map(m -> m.asJsonObject())
            .filter(m -> m.getString("role").equals("assistant"))
            .findFirst()
            .orElseThrow()
            .getString("errorCode"));

    // the administrators see what the server said, with the key taken out
    var provider =
        Json.array(Api.get("v1/admin/providers", Tokens.admin()).body()).stream()
            .map(p -> p.asJsonObject())
            .filter(p -> p.getString("name").equals("Provider of " + alias))
            .findFirst()
            .orElseThrow();
    var failure = provider.getJsonObject("lastFailure");
    assertEquals("upstream_failed", failure.getString("code"));
    assertTrue(failure.getString("detail").contains("10.9.8.7:8000"), failure.toString());
    assertFalse(failure.getString("detail").contains(leaked), failure.toString());

    // an unreachable server: its address is not the user's business either
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String gone = SharedModels.add("gone", ",\"connectTimeoutMs\":500");
    var goneProvider =
        Json.array(Api.get("v1/admin/providers", Tokens.admin()).body()).stream()
            .map(p -> p.asJsonObject())
            .filter(p -> p.getString("name").equals("Provider of " + gone))
            .findFirst()
            .orElseThrow();
    assertEquals(
        200,
        Api.put(
                "v1/admin/providers/" + goneProvider.getJsonNumber("id"),
                Tokens.admin(),
                "{\"baseUrl\":\"http://127.0.0.1:" + closed + "/v1\"}")
            .statusCode());
    var unreachable = SseClient.chat(user, gone, "Anyone there?");
    assertFalse(unreachable.named("error").isEmpty(), unreachable.events().toString());
    assertFalse(
        unreachable.events().toString().contains(String.valueOf(closed)),
        unreachable.events().toString());
  }

  @Test
  void aProviderSavedAsItWasReadKeepsItsKey() throws Exception {
    String alias = "roundtrip-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject provider = sharedKeyedProvider("Round trip " + alias);
    long id = provider.getJsonNumber("id").longValue();
    assertEquals(
        201,
        Api.post(
                "v1/admin/providers/" + id + "/models",
                Tokens.admin(),
                "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + "}")
            .statusCode());

    String read = Api.get("v1/admin/providers/" + id, Tokens.admin()).body();
    HttpResponse<String> saved = Api.put("v1/admin/providers/" + id, Tokens.admin(), read);
    assertEquals(200, saved.statusCode(), saved.body());
    assertEquals(
        provider.getString("apiKeyHint"), Json.object(saved.body()).getString("apiKeyHint"));

    // the hint sent as a key is refused, in either spelling
    for (String hint : List.of(provider.getString("apiKeyHint"), "..." + SENTINEL.substring(40))) {
      HttpResponse<String> refused =
          Api.put("v1/admin/providers/" + id, Tokens.admin(), "{\"apiKey\":" + Api.q(hint) + "}");
      assertEquals(400, refused.statusCode(), refused.body());
    }

    var chat =
        SseClient.chat(
            TestAccounts.sharedUser().accessToken(), alias, "Still keyed? [sim tokens=3 gap-ms=1]");
    assertTrue(
        chat.named("error").isEmpty(),
        "the original key reaches the model server: " + chat.events());
    assertEquals("done", chat.events().get(chat.events().size() - 1).name());
  }

  @Test
  void administratorsProvidersReachPrivateAddressesOnlyWhenAllowed() throws Exception {
    var refused =
        Api.post(
            "v1/admin/providers",
            Tokens.admin(),
            "{\"name\":\"Loopback\",\"baseUrl\":" + Api.q(keyed.baseUrl()) + "}");
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(Json.object(refused.body()).getString("type").endsWith("/refused-address"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:%d/v1",
        "http://169.254.169.254/latest",
        "http://[::ffff:a9fe:a9fe]/v1",
        "http://2130706433:%d/v1",
        "http://10.1.2.3:8000/v1",
        "http://[::1]:%d/v1"
      })
  void usersOwnProvidersCannotReachInternalAddresses(String url) throws Exception {
    String user = TestAccounts.user("ssrf").accessToken();
    var refused =
        Api.post(
            "v1/providers",
            user,
            "{\"name\":\"Mine\",\"baseUrl\":"
                + Api.q(url.formatted(Platform.simulator().port()))
                + "}");
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(
        Json.object(refused.body()).getString("type").endsWith("/refused-address"), refused.body());
    assertEquals("[]", Api.get("v1/providers", user).body());
  }

  @Test
  void usersCannotOpenPrivateNetworksForThemselves() throws Exception {
    var refused =
        Api.post(
            "v1/providers",
            TestAccounts.user("opener").accessToken(),
            "{\"name\":\"Mine\",\"baseUrl\":\"http://127.0.0.2:9/v1\","
                + "\"allowPrivateNetwork\":true}");
    assertEquals(400, refused.statusCode(), refused.body());
  }

  @Test
  void anAllowedAddressThatRedirectsToLoopbackIsNotFollowed() throws Exception {
    // allowed to users in the test run (LLMCHAT_USER_PROVIDER_NETWORKS=127.0.0.2/32), and it
    // answers everything with a redirect to the simulator on 127.0.0.1
    Simulator redirecting =
        Platform.extraSimulator("127.0.0.2", null, Platform.simulator().baseUrl());
    String user = TestAccounts.user("redirected").accessToken();
    long id =
        Json.object(create("v1/providers", user, "Redirector", redirecting.baseUrl(), null, null))
            .getJsonNumber("id")
            .longValue();
    long loopbackRequests = Platform.stat(Platform.simulator(), "requests");

    var check = Json.object(post("v1/providers/" + id + "/test", user, null));
    assertFalse(check.getBoolean("reachable"));
    assertTrue(check.getString("error").contains("redirect"), check.toString());

    String alias = "mine-" + UUID.randomUUID().toString().substring(0, 8);
    Api.post(
        "v1/providers/" + id + "/models",
        user,
        "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + "}");
    var chat = SseClient.chat(user, alias, "Follow me");
    assertEquals(
        "upstream_redirect",
        Json.object(chat.named("error").get(0).data()).getString("code"),
        chat.events().toString());
    assertEquals("failed", chat.reply().getString("status"));
    assertEquals(
        loopbackRequests,
        Platform.stat(Platform.simulator(), "requests"),
        "the redirect to loopback was followed");
  }

  @Test
  void aUsersOwnProviderServesOnlyThatUser() throws Exception {
    String ownKey = Secrets.remember("sk-own-" + UUID.randomUUID().toString().replace("-", ""));
    Simulator own = Platform.extraSimulator("127.0.0.2", ownKey, null);
    var owner = TestAccounts.user("own-key");
    long id =
        Json.object(
                create(
                    "v1/providers",
                    owner.accessToken(),
                    "My key",
                    own.baseUrl() + "/chat/completions",
                    ownKey,
                    null))
            .getJsonNumber("id")
            .longValue();
    String alias = "mine-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        201,
        Api.post(
                "v1/providers/" + id + "/models",
                owner.accessToken(),
                "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + "}")
            .statusCode());

    var chat = SseClient.chat(owner.accessToken(), alias, "Mine [sim tokens=2 gap-ms=5]");
    assertEquals("This is", chat.content(), chat.events().toString());

    String other = TestAccounts.user("other").accessToken();
    assertFalse(Api.get("v1/models", other).body().contains(alias));
    assertEquals(404, Api.get("v1/providers/" + id, other).statusCode());
    assertEquals(404, Api.get("v1/admin/providers/" + id, Tokens.admin()).statusCode());
    var borrowed = Api.post("v1/conversations", other, "{\"model\":" + Api.q(alias) + "}");
    assertEquals(404, borrowed.statusCode(), borrowed.body());
  }

  /** The routes are cached between sends; a change made through the API reaches the next one. */
  @Test
  void aProviderMovedOrAModelDeletedReachesTheNextSendAtOnce() throws Exception {
    String alias = SharedModels.add("moving", "");
    String user = TestAccounts.sharedUser().accessToken();
    long conversation = SseClient.conversation(user, alias);
    var first = SseClient.send(user, conversation, "Here [sim tokens=2 gap-ms=1]", null);
    assertEquals("complete", first.reply().getString("status"), first.events().toString());

    Simulator elsewhere = Platform.extraSimulator("127.0.0.1", null, null);
    long provider =
        Long.parseLong(Platform.queryOne("select provider_id from model where alias = ?", alias));
    var moved =
        Api.put(
            "v1/admin/providers/" + provider,
            Tokens.admin(),
            "{\"baseUrl\":" + Api.q(elsewhere.baseUrl()) + "}");
    assertEquals(200, moved.statusCode(), moved.body());
    var second = SseClient.send(user, conversation, "There [sim tokens=2 gap-ms=1]", null);
    assertEquals("complete", second.reply().getString("status"), second.events().toString());
    assertEquals(1, Platform.stat(elsewhere, "requests"), "asked at the new address");

    long model = Long.parseLong(Platform.queryOne("select id from model where alias = ?", alias));
    assertEquals(
        204,
        Api.delete("v1/admin/providers/" + provider + "/models/" + model, Tokens.admin())
            .statusCode());
    var gone =
        Api.post(
            "v1/conversations/" + conversation + "/messages",
            user,
            "{\"content\":\"Still there?\"}");
    assertEquals(404, gone.statusCode(), gone.body());
    assertTrue(Json.object(gone.body()).getString("type").endsWith("/unknown-model"), gone.body());
  }

  @Test
  void aTamperedKeyFailsClosed() throws Exception {
    JsonObject provider = sharedKeyedProvider("Tampered " + UUID.randomUUID());
    long id = provider.getJsonNumber("id").longValue();
    String sealed = Platform.queryOne("select api_key_sealed from provider where id = ?", id);
    char last = sealed.charAt(sealed.length() - 3);
    String altered =
        sealed.substring(0, sealed.length() - 3)
            + (last == 'A' ? 'B' : 'A')
            + sealed.substring(sealed.length() - 2);
    Platform.update("update provider set api_key_sealed = ? where id = ?", altered, id);

    var check = Api.post("v1/admin/providers/" + id + "/test", Tokens.admin(), null);
    assertEquals(409, check.statusCode(), check.body());
    assertTrue(Json.object(check.body()).getString("type").endsWith("/api-key-unreadable"));
    assertFalse(check.body().contains(SENTINEL));
  }

  @Test
  void rotatingTheMasterKeyResealsEveryKeyAndTheServerKeepsWorking() throws Exception {
    JsonObject provider = sharedKeyedProvider("Rotated " + UUID.randomUUID());
    long id = provider.getJsonNumber("id").longValue();
    String before = Platform.queryOne("select api_key_sealed from provider where id = ?", id);

    Process rotate =
        new ProcessBuilder(Platform.requiredEnv("LLMCHAT_LAUNCHER"), "admin", "rotate-master-key")
            .redirectErrorStream(true)
            .start();
    String output = new String(rotate.getInputStream().readAllBytes());
    assertTrue(rotate.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, rotate.exitValue(), output);
    assertTrue(output.contains("provider keys re-sealed"), output);

    String after = Platform.queryOne("select api_key_sealed from provider where id = ?", id);
    assertNotEquals(before.split(":")[1], after.split(":")[1], "sealed under a new key id");
    var keyFile = Platform.dataDir().resolve("keys/master-keys");
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(keyFile)));
    var check = Json.object(post("v1/admin/providers/" + id + "/test", Tokens.admin(), null));
    assertTrue(check.getBoolean("reachable"), "the running server opens the re-sealed key");
    // and a key saved now is sealed with the new master key
    JsonObject fresh = sharedKeyedProvider("After rotation " + UUID.randomUUID());
    String freshSealed =
        Platform.queryOne(
            "select api_key_sealed from provider where id = ?",
            fresh.getJsonNumber("id").longValue());
    assertEquals(after.split(":")[1], freshSealed.split(":")[1]);
  }

  @Test
  void whenTheFirstProviderOfAModelIsDownTheNextOneAnswers() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String alias = "backed-" + UUID.randomUUID().toString().substring(0, 8);
    long down =
        Json.object(
                create(
                    "v1/admin/providers",
                    Tokens.admin(),
                    "Down " + alias,
                    "http://127.0.0.1:" + closedPort + "/v1",
                    null,
                    true))
            .getJsonNumber("id")
            .longValue();
    long up = sharedKeyedProvider("Up " + alias).getJsonNumber("id").longValue();
    for (long provider : new long[] {down, up}) {
      var model =
          Api.post(
              "v1/admin/providers/" + provider + "/models",
              Tokens.admin(),
              "{\"upstreamId\":\"demo\",\"alias\":"
                  + Api.q(alias)
                  + ",\"priority\":"
                  + (provider == down ? 0 : 1)
                  + "}");
      assertEquals(201, model.statusCode(), model.body());
    }
    var choice =
        Json.array(Api.get("v1/models", Tokens.user()).body()).stream()
            .map(v -> v.asJsonObject())
            .filter(m -> m.getString("id").equals(alias))
            .findFirst()
            .orElseThrow();
    assertEquals(2, choice.getInt("providers"));

    var chat = SseClient.chat(Tokens.user(), alias, "Anyone? [sim tokens=2 gap-ms=5]");
    assertTrue(chat.named("error").isEmpty(), chat.events().toString());
    assertEquals("This is", chat.content());
    assertEquals("Up " + alias, chat.reply().getString("provider"));
  }

  @Test
  void aDuplicateNameIsAConflict() throws Exception {
    String name = "Twice " + UUID.randomUUID();
    sharedKeyedProvider(name);
    var again =
        Api.post(
            "v1/admin/providers",
            Tokens.admin(),
            "{\"name\":"
                + Api.q(name.toUpperCase())
                + ",\"baseUrl\":"
                + Api.q(keyed.baseUrl())
                + ",\"allowPrivateNetwork\":true}");
    assertEquals(409, again.statusCode(), again.body());
  }

  private static JsonObject sharedKeyedProvider(String name) throws Exception {
    return Json.object(
        create("v1/admin/providers", Tokens.admin(), name, keyed.baseUrl(), SENTINEL, true));
  }

  private static String create(
      String path, String token, String name, String baseUrl, String apiKey, Boolean intranet)
      throws Exception {
    var body = jakarta.json.Json.createObjectBuilder().add("name", name).add("baseUrl", baseUrl);
    if (apiKey != null) {
      body.add("apiKey", apiKey);
    }
    if (intranet != null) {
      body.add("allowPrivateNetwork", intranet);
    }
    HttpResponse<String> response = Api.post(path, token, body.build().toString());
    assertEquals(201, response.statusCode(), response.body());
    assertFalse(response.body().contains(SENTINEL), "the API key came back");
    return response.body();
  }

  private static String post(String path, String token, String json) throws Exception {
    HttpResponse<String> response = Api.post(path, token, json);
    assertEquals(200, response.statusCode(), response.body());
    assertFalse(response.body().contains(SENTINEL), "the API key came back");
    return response.body();
  }
}
