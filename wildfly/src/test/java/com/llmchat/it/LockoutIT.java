package com.llmchat.it;

import static com.llmchat.it.Api.q;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Brute force: after 5 wrong passwords an account is locked from that client address, even for the
 * right password, until the lock ends (3 s in the test run: LLMCHAT_LOGIN_LOCK_SECONDS), while the
 * right password from another address still logs in; a client address is locked after 30 failures
 * across any names (the test run sets 30: LLMCHAT_LOGIN_MAX_FAILURES_PER_ADDRESS). Everything is in
 * the audit log.
 */
class LockoutIT extends DeployedEar {

  private static HttpResponse<String> login(String username, String password) throws Exception {
    return Api.post(
        "v1/auth/login",
        null,
        "{\"username\":" + q(username) + ",\"password\":" + q(password) + "}");
  }

  @Test
  void accountLocksAfterFiveFailuresRefusesTheRightPasswordThenUnlocks() throws Exception {
    var user = TestAccounts.user("victim");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(user.username(), "wrong password " + i).statusCode());
    }
    HttpResponse<String> locked = login(user.username(), user.password());
    assertEquals(429, locked.statusCode(), "the right password during the lock is refused");
    assertTrue(Json.object(locked.body()).getString("type").endsWith("/login-locked"));
    assertTrue(locked.headers().firstValue("Retry-After").isPresent());

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> login(user.username(), user.password()).statusCode() == 200);

    var audit =
        Json.array(Api.get("v1/admin/audit?limit=200", TestAccounts.admin().accessToken()).body());
    assertEquals(5, count(audit, user.username(), "login", "FAILURE"));
    assertEquals(1, count(audit, user.username(), "login-lockout", "DENIED"));
    assertTrue(count(audit, user.username(), "login", "DENIED") >= 1, "the refused right password");
    assertTrue(count(audit, user.username(), "login", "SUCCESS") >= 1);
  }

  private static long count(
      jakarta.json.JsonArray audit, String target, String action, String outcome) {
    return audit.stream()
        .map(e -> e.asJsonObject())
        .filter(
            e ->
                target.equals(e.getString("target"))
                    && action.equals(e.getString("action"))
                    && outcome.equals(e.getString("outcome")))
        .count();
  }

  @Test
  void failuresFromOneAddressDoNotLockTheAccountOutForOthers() throws Exception {
    var admin = TestAccounts.admin();
    // the test run trusts 127.0.0.1 as a proxy: X-Forwarded-For names the client
    String attacker = "198.51.100." + (10 + (int) (Math.random() * 200));
    for (int i = 0; i < 30; i++) {
      loginFrom(attacker, admin.username(), "guess-" + i + "-" + UUID.randomUUID());
    }
    HttpResponse<String> fromAttacker = loginFrom(attacker, admin.username(), admin.password());
    assertEquals(429, fromAttacker.statusCode(), "the guessing address stays locked out");
    HttpResponse<String> fromElsewhere =
        loginFrom("203.0.113.44", admin.username(), admin.password());
    assertEquals(
        200, fromElsewhere.statusCode(), "the administrator logs in at once from elsewhere");
  }

  private static HttpResponse<String> loginFrom(String address, String username, String password)
      throws Exception {
    return Platform.HTTP.send(
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(Platform.APP + "/api/v1/auth/login"))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", address)
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"username\":" + q(username) + ",\"password\":" + q(password) + "}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unknownNamesLockTheSameWaySoNothingIsLearnt() throws Exception {
    String nobody = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(nobody, "guess " + i).statusCode());
    }
    assertEquals(429, login(nobody, "guess 5").statusCode());
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> login(nobody, "guess 6").statusCode() == 401);
  }

  @Test
  void clientAddressLocksAfterManyFailuresAcrossNames() throws Exception {
    var user = TestAccounts.user("bystander");
    for (int i = 0; i < 30; i++) {
      login("spray-" + i + "-" + UUID.randomUUID().toString().substring(0, 6), "password123456");
    }
    assertEquals(
        429,
        login(user.username(), user.password()).statusCode(),
        "the address is locked for everyone");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> login(user.username(), user.password()).statusCode() == 200);
  }
}
