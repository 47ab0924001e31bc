package com.llmchat.it;

import static com.llmchat.it.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Registration, login, tokens, profile and administration of accounts over the API. */
class AccountsIT extends DeployedEar {

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static int loginStatus(String username, String password) throws Exception {
    return Api.post(
            "v1/auth/login",
            null,
            "{\"username\":" + q(username) + ",\"password\":" + q(password) + "}")
        .statusCode();
  }

  /** Tokens are dated in whole seconds: a change must come in a later second than the token. */
  private static void laterSecondThanTokenOf(TestAccounts.Login user) {
    long issuedAt =
        Json.object(
                new String(
                    java.util.Base64.getUrlDecoder().decode(user.accessToken().split("\\.")[1])))
            .getJsonNumber("iat")
            .longValue();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(3))
        .until(() -> java.time.Instant.now().getEpochSecond() > issuedAt);
  }

  private static void registration(String value) throws Exception {
    HttpResponse<String> set =
        Api.put(
            "v1/admin/settings/registration",
            TestAccounts.admin().accessToken(),
            "{\"value\":" + q(value) + "}");
    assertEquals(200, set.statusCode(), set.body());
  }

  @Test
  void registrationIsClosedUnlessOpened() throws Exception {
    registration("closed");
    HttpResponse<String> refused =
        Api.post(
            "v1/auth/register",
            null,
            "{\"username\":" + q(unique("x")) + ",\"password\":\"long enough pw 1\"}");
    assertEquals(403, refused.statusCode());
    assertTrue(Json.object(refused.body()).getString("type").endsWith("/registration-closed"));
  }

  @Test
  void settingsThroughTheApiAreValidatedAndAuditedLikeThePage() throws Exception {
    String admin = TestAccounts.admin().accessToken();
    registration("Open");
    try {
      assertEquals(
          "open",
          Json.object(Api.get("v1/admin/settings/registration", admin).body()).getString("value"));
      for (String[] refused :
          new String[][] {
            {"default-model", "no-such-model-" + UUID.randomUUID()},
            {"registration", "maybe"},
            {"made-up-setting", "x"},
            {"instance.id", "stolen"}
          }) {
        HttpResponse<String> answer =
            Api.put("v1/admin/settings/" + refused[0], admin, "{\"value\":" + q(refused[1]) + "}");
        assertEquals(400, answer.statusCode(), refused[0] + ": " + answer.body());
        assertTrue(
            answer
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/problem+json"));
        assertTrue(Json.object(answer.body()).getString("type").endsWith("/invalid-setting"));
      }
    } finally {
      registration("closed");
    }
    var changes = Json.array(Api.get("v1/admin/audit?action=setting-change&limit=5", admin).body());
    assertEquals("closed", changes.getJsonObject(0).getString("detail"), changes.toString());
    assertEquals("registration", changes.getJsonObject(0).getString("target"));
    assertEquals("open", changes.getJsonObject(1).getString("detail"), changes.toString());
  }

  @Test
  void registeringCannotChooseRoleEnabledOrId() throws Exception {
    registration("open");
    try {
      String username = unique("mallory");
      String password = Secrets.remember("Sneaky-" + UUID.randomUUID());
      HttpResponse<String> created =
          Api.post(
              "v1/auth/register",
              null,
              "{\"username\":"
                  + q(username)
                  + ",\"password\":"
                  + q(password)
                  + ",\"role\":\"ADMIN\",\"enabled\":false,\"id\":1,\"mustChangePassword\":true}");
      assertEquals(201, created.statusCode(), created.body());
      var account = Json.object(created.body());
      assertEquals("USER", account.getString("role"));
      assertTrue(account.getBoolean("enabled"));
      assertFalse(account.getBoolean("mustChangePassword"));
      assertNotEquals(1, account.getInt("id"));

      var login = TestAccounts.login(username, password);
      assertEquals(403, Api.get("v1/admin/users", login.accessToken()).statusCode());
    } finally {
      registration("closed");
    }
  }

  @Test
  void profileUpdateCannotChangeRoleOrEnabled() throws Exception {
    var user = TestAccounts.user("profile");
    HttpResponse<String> updated =
        Api.put(
            "v1/users/me",
            user.accessToken(),
            "{\"displayName\":\"Zhang San 张三\",\"locale\":\"zh-CN\",\"role\":\"ADMIN\",\"enabled\":false,\"username\":\"root\"}");
    assertEquals(200, updated.statusCode(), updated.body());
    var me = Json.object(Api.get("v1/users/me", user.accessToken()).body());
    assertEquals("Zhang San 张三", me.getString("displayName"));
    assertEquals("zh-CN", me.getString("locale"));
    assertEquals("USER", me.getString("role"));
    assertEquals(user.username(), me.getString("username"));
    assertTrue(me.getBoolean("enabled"));
  }

  @Test
  void usernamesAreUniqueIgnoringCase() throws Exception {
    var user = TestAccounts.user("Casey");
    HttpResponse<String> again =
        Api.post(
            "v1/admin/users",
            TestAccounts.admin().accessToken(),
            "{\"username\":"
                + q(user.username().toUpperCase())
                + ",\"password\":\"another long one 9\"}");
    assertEquals(409, again.statusCode(), again.body());
    assertEquals(200, loginStatus(user.username().toUpperCase(), user.password()));
  }

  @Test
  void weakPasswordsAreRefusedWithTheReason() throws Exception {
    var admin = TestAccounts.admin();
    HttpResponse<String> shortOne =
        Api.post(
            "v1/admin/users",
            admin.accessToken(),
            "{\"username\":" + q(unique("weak")) + ",\"password\":\"short\"}");
    assertEquals(400, shortOne.statusCode());
    assertTrue(Json.object(shortOne.body()).getString("type").endsWith("/weak-password"));
    String name = unique("samename");
    HttpResponse<String> containsName =
        Api.post(
            "v1/admin/users",
            admin.accessToken(),
            "{\"username\":" + q(name) + ",\"password\":" + q("my " + name + " password") + "}");
    assertEquals(400, containsName.statusCode());
  }

  @Test
  void accessTokenIsShortLivedRs256WithOurClaims() throws Exception {
    var user = TestAccounts.user("claims");
    String[] parts = user.accessToken().split("\\.");
    var header = Json.object(new String(java.util.Base64.getUrlDecoder().decode(parts[0])));
    var claims = Json.object(new String(java.util.Base64.getUrlDecoder().decode(parts[1])));
    assertEquals("RS256", header.getString("alg"));
    assertEquals("llmchat", claims.getString("iss"));
    assertEquals("llmchat", claims.getString("aud"));
    assertEquals(user.username(), claims.getString("upn"));
    assertEquals("[\"user\"]", claims.getJsonArray("groups").toString());
    long lifetime =
        claims.getJsonNumber("exp").longValue() - claims.getJsonNumber("iat").longValue();
    assertTrue(lifetime > 0 && lifetime <= 15 * 60, "lifetime " + lifetime);
  }

  @Test
  void refreshRotatesAndReuseRevokesTheFamily() throws Exception {
    var user = TestAccounts.user("rotate");
    HttpResponse<String> first =
        Api.post("v1/auth/refresh", null, "{\"refreshToken\":" + q(user.refreshToken()) + "}");
    assertEquals(200, first.statusCode(), first.body());
    String second = Json.object(first.body()).getString("refreshToken");
    assertNotEquals(user.refreshToken(), second);

    // the old token again: someone copied it. The whole family ends, the new token too.
    HttpResponse<String> reuse =
        Api.post("v1/auth/refresh", null, "{\"refreshToken\":" + q(user.refreshToken()) + "}");
    assertEquals(401, reuse.statusCode());
    assertEquals(
        401,
        Api.post("v1/auth/refresh", null, "{\"refreshToken\":" + q(second) + "}").statusCode());

    var events =
        Json.array(
            Api.get("v1/admin/audit?action=refresh-token-reuse", TestAccounts.admin().accessToken())
                .body());
    assertTrue(
        events.stream().anyMatch(e -> user.username().equals(e.asJsonObject().getString("target"))),
        events.toString());
  }

  @Test
  void logoutEndsTheRefreshToken() throws Exception {
    var user = TestAccounts.user("logout");
    assertEquals(
        204,
        Api.post("v1/auth/logout", null, "{\"refreshToken\":" + q(user.refreshToken()) + "}")
            .statusCode());
    assertEquals(
        401,
        Api.post("v1/auth/refresh", null, "{\"refreshToken\":" + q(user.refreshToken()) + "}")
            .statusCode());
  }

  @Test
  void passwordChangeEndsOlderSessions() throws Exception {
    var user = TestAccounts.user("changer");
    String newPassword = Secrets.remember("New-" + UUID.randomUUID());
    laterSecondThanTokenOf(user);
    HttpResponse<String> changed =
        Api.put(
            "v1/auth/password",
            user.accessToken(),
            "{\"currentPassword\":"
                + q(user.password())
                + ",\"newPassword\":"
                + q(newPassword)
                + "}");
    assertEquals(200, changed.statusCode(), changed.body());
    String fresh = Json.object(changed.body()).getString("accessToken");

    HttpResponse<String> old = Api.get("v1/users/me", user.accessToken());
    assertEquals(401, old.statusCode());
    assertTrue(Json.object(old.body()).getString("type").endsWith("/token-revoked"));
    assertEquals(200, Api.get("v1/users/me", fresh).statusCode());
    assertEquals(
        401,
        Api.post("v1/auth/refresh", null, "{\"refreshToken\":" + q(user.refreshToken()) + "}")
            .statusCode());
    assertEquals(401, loginStatus(user.username(), user.password()));
  }

  @Test
  void wrongCurrentPasswordChangesNothing() throws Exception {
    var user = TestAccounts.user("nochange");
    HttpResponse<String> refused =
        Api.put(
            "v1/auth/password",
            user.accessToken(),
            "{\"currentPassword\":\"not the password\",\"newPassword\":\"whatever long 123\"}");
    assertEquals(400, refused.statusCode());
    assertEquals(200, Api.get("v1/users/me", user.accessToken()).statusCode());
  }

  @Test
  void demotedAdminIsRefusedAtTheNextRequestOnEveryAdministratorsEndpoint() throws Exception {
    var other = TestAccounts.create("ops", "ADMIN");
    assertEquals(200, Api.get("v1/admin/users", other.accessToken()).statusCode());
    assertEquals(200, Api.get("v1/admin/settings/instance.id", other.accessToken()).statusCode());
    var admin = TestAccounts.admin();
    String registrationBefore =
        Api.get("v1/admin/settings/registration", admin.accessToken()).body();

    HttpResponse<String> demoted =
        Api.put(
            "v1/admin/users/" + other.id() + "/role", admin.accessToken(), "{\"role\":\"USER\"}");
    assertEquals(200, demoted.statusCode(), demoted.body());

    // the token still says "admin"; the server asks the database, on every administrators' call
    var endpoints = OwnershipIT.endpoints().stream().filter(e -> e.adminOnly()).toList();
    assertTrue(endpoints.size() >= 15, "found only " + endpoints);
    Map<String, String> fixtures =
        Map.ofEntries(
            Map.entry("id", String.valueOf(admin.id())),
            Map.entry("name", "registration"),
            Map.entry("providerId", "1"),
            Map.entry("modelId", "1"),
            Map.entry("keyId", "1"),
            Map.entry("groupId", "1"),
            Map.entry("accountId", String.valueOf(admin.id())),
            Map.entry("alias", "demo"),
            Map.entry("budgetId", "1"),
            Map.entry("presetId", "1"),
            Map.entry("attachmentId", "1"),
            Map.entry("mappingId", "1"));
    List<String> answered = new ArrayList<>();
    for (var endpoint : endpoints) {
      HttpResponse<String> response =
          Api.call(
              endpoint.method(),
              OwnershipIT.fill(endpoint.path(), fixtures),
              other.accessToken(),
              endpoint.hasBody() ? "{\"value\":\"open\",\"role\":\"USER\"}" : null);
      if (response.statusCode() != 403) {
        answered.add(endpoint + " answered " + response.statusCode() + ": " + response.body());
      }
    }
    assertTrue(answered.isEmpty(), String.join("\n", answered));
    assertEquals(
        registrationBefore,
        Api.get("v1/admin/settings/registration", admin.accessToken()).body(),
        "the demoted administrator changed a setting");
    assertEquals(200, Api.get("v1/users/me", other.accessToken()).statusCode(), "still a user");
  }

  @Test
  void disabledUserIsRefusedAtTheNextRequestAndCannotLogIn() throws Exception {
    var user = TestAccounts.user("disabled");
    var admin = TestAccounts.admin();
    assertEquals(
        200,
        Api.post("v1/admin/users/" + user.id() + "/disable", admin.accessToken(), null)
            .statusCode());
    assertEquals(401, Api.get("v1/users/me", user.accessToken()).statusCode());
    assertEquals(401, loginStatus(user.username(), user.password()));
    assertEquals(
        200,
        Api.post("v1/admin/users/" + user.id() + "/enable", admin.accessToken(), null)
            .statusCode());
    TestAccounts.login(user.username(), user.password());
  }

  @Test
  void resetPasswordForcesAChangeBeforeAnythingElse() throws Exception {
    var user = TestAccounts.user("reset");
    HttpResponse<String> reset =
        Api.post(
            "v1/admin/users/" + user.id() + "/reset-password",
            TestAccounts.admin().accessToken(),
            null);
    assertEquals(200, reset.statusCode(), reset.body());
    String oneTime = Json.object(reset.body()).getString("oneTimePassword");
    var login = TestAccounts.login(user.username(), oneTime);

    HttpResponse<String> blocked = Api.get("v1/models", login.accessToken());
    assertEquals(403, blocked.statusCode());
    assertTrue(Json.object(blocked.body()).getString("type").endsWith("/password-change-required"));
    assertTrue(
        Json.object(Api.get("v1/users/me", login.accessToken()).body())
            .getBoolean("mustChangePassword"));

    String chosen = Secrets.remember("Chosen-" + UUID.randomUUID());
    HttpResponse<String> changed =
        Api.put(
            "v1/auth/password",
            login.accessToken(),
            "{\"currentPassword\":" + q(oneTime) + ",\"newPassword\":" + q(chosen) + "}");
    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals(
        200,
        Api.get("v1/models", Json.object(changed.body()).getString("accessToken")).statusCode());
  }

  @Test
  void operatorResetsAPasswordFromTheCommandLine() throws Exception {
    var user = TestAccounts.user("forgetful");
    laterSecondThanTokenOf(user);
    assertEquals(
        200,
        Api.post(
                "v1/admin/users/" + user.id() + "/disable",
                TestAccounts.admin().accessToken(),
                null)
            .statusCode());
    Process reset =
        new ProcessBuilder(
                Platform.requiredEnv("LLMCHAT_LAUNCHER"),
                "admin",
                "reset-password",
                user.username())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(reset.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(reset.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, reset.exitValue(), output);
    String oneTime = Secrets.remember(output.substring(output.lastIndexOf(' ') + 1).trim());

    assertEquals(401, Api.get("v1/users/me", user.accessToken()).statusCode(), "sessions end");
    var login = TestAccounts.login(user.username(), oneTime);
    assertTrue(
        Json.object(Api.get("v1/users/me", login.accessToken()).body())
            .getBoolean("mustChangePassword"));
    var audit =
        Json.array(
            Api.get(
                    "v1/admin/audit?action=account-reset-password",
                    TestAccounts.admin().accessToken())
                .body());
    assertTrue(
        audit.stream()
            .anyMatch(
                e ->
                    "operator".equals(e.asJsonObject().getString("actor"))
                        && user.username().equals(e.asJsonObject().getString("target"))),
        audit.toString());
  }

  @Test
  void theLastAdministratorCannotBeDemotedDisabledOrDeleted() throws Exception {
    var admin = TestAccounts.admin();
    assertEquals(
        409,
        Api.post("v1/admin/users/" + admin.id() + "/disable", admin.accessToken(), null)
            .statusCode());
    assertEquals(409, Api.delete("v1/admin/users/" + admin.id(), admin.accessToken()).statusCode());
  }

  @Test
  void deletedUserIsGoneAndTheirTokensWithThem() throws Exception {
    var user = TestAccounts.user("leaver");
    assertEquals(
        204,
        Api.delete("v1/admin/users/" + user.id(), TestAccounts.admin().accessToken()).statusCode());
    assertEquals(401, Api.get("v1/users/me", user.accessToken()).statusCode());
    assertEquals(
        401,
        Api.post("v1/auth/refresh", null, "{\"refreshToken\":" + q(user.refreshToken()) + "}")
            .statusCode());
    assertEquals(
        404,
        Api.get("v1/admin/users/" + user.id(), TestAccounts.admin().accessToken()).statusCode());
  }

  @Test
  void adminListIsPagedAndSearchable() throws Exception {
    var user = TestAccounts.user("findme");
    var page =
        Json.object(
            Api.get(
                    "v1/admin/users?search=" + user.username() + "&size=5",
                    TestAccounts.admin().accessToken())
                .body());
    assertEquals(1, page.getJsonNumber("total").longValue());
    assertEquals(
        user.username(), page.getJsonArray("items").getJsonObject(0).getString("username"));
    assertFalse(page.toString().contains("pbkdf2"), "no password hash in the API");
  }

  @Test
  void corsAllowsOnlyTheConfiguredOrigin() throws Exception {
    // bin/llmchat test allows https://intranet.example.test (LLMCHAT_CORS_ORIGINS) and nothing else
    assertTrue(
        preflight("https://evil.example")
            .headers()
            .firstValue("Access-Control-Allow-Origin")
            .isEmpty());
    var allowed = preflight("https://intranet.example.test");
    assertEquals(
        "https://intranet.example.test",
        allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(
        allowed
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .contains("Authorization"));
  }

  private static HttpResponse<String> preflight(String origin) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(Platform.APP + "/api/v1/models"))
            .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .build();
    return Platform.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
