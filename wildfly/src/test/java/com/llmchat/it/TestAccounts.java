package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Real accounts for the tests, made through the API as a user or an administrator would. */
final class TestAccounts {

  /** A logged-in account. */
  record Login(
      long id, String username, String password, String accessToken, String refreshToken) {}

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile String adminPassword;
  private static Login admin;
  private static java.time.Instant adminAt = java.time.Instant.EPOCH;

  /** Access tokens live 10 minutes and the suite runs longer: shared logins are renewed sooner. */
  private static final java.time.Duration RENEW_AFTER = java.time.Duration.ofMinutes(5);

  private static boolean stale(java.time.Instant obtained) {
    return java.time.Instant.now().isAfter(obtained.plus(RENEW_AFTER));
  }

  private TestAccounts() {}

  /** The bootstrapped administrator; its one-time password is replaced on first use. */
  static synchronized Login admin() throws IOException, InterruptedException {
    if (admin == null || stale(adminAt)) {
      if (adminPassword == null) {
        String oneTime = readInitialPassword();
        Login first = login("admin", oneTime);
        String chosen = Secrets.remember("Boss-" + UUID.randomUUID());
        HttpResponse<String> changed =
            Api.put(
                "v1/auth/password",
                first.accessToken(),
                "{\"currentPassword\":"
                    + Api.q(oneTime)
                    + ",\"newPassword\":"
                    + Api.q(chosen)
                    + "}");
        assertEquals(200, changed.statusCode(), changed.body());
        adminPassword = chosen;
      }
      admin = login("admin", adminPassword);
      adminAt = java.time.Instant.now();
    }
    return admin;
  }

  /** The UI test changes the bootstrapped admin's password itself and reports it here. */
  static synchronized void adminPasswordChangedTo(String password) {
    adminPassword = Secrets.remember(password);
    admin = null;
  }

  static String readInitialPassword() throws IOException {
    Path file = Platform.dataDir().resolve("secrets/initial-admin-password");
    String password =
        Files.readAllLines(file).stream()
            .filter(line -> line.startsWith("password="))
            .map(line -> line.substring("password=".length()))
            .findFirst()
            .orElseThrow();
    return Secrets.remember(password);
  }

  /** A new account with the given role, logged in. */
  static Login create(String prefix, String role) throws IOException, InterruptedException {
    String username =
        prefix
            + "-"
            + COUNTER.incrementAndGet()
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
    String password = Secrets.remember("Pw-" + UUID.randomUUID());
    HttpResponse<String> created =
        Api.post(
            "v1/admin/users",
            admin().accessToken(),
            "{\"username\":"
                + Api.q(username)
                + ",\"password\":"
                + Api.q(password)
                + ",\"role\":"
                + Api.q(role)
                + ",\"email\":"
                + Api.q(username + "@example.com")
                + "}");
    assertEquals(201, created.statusCode(), created.body());
    return login(username, password);
  }

  private static Login shared;
  private static java.time.Instant sharedAt = java.time.Instant.EPOCH;

  /** One ordinary user for the tests that only need someone logged in. */
  static synchronized Login sharedUser() throws IOException, InterruptedException {
    if (shared == null) {
      shared = user("member");
      sharedAt = java.time.Instant.now();
    } else if (stale(sharedAt)) {
      shared = login(shared.username(), shared.password());
      sharedAt = java.time.Instant.now();
    }
    return shared;
  }

  static Login user(String prefix) throws IOException, InterruptedException {
    return create(prefix, "USER");
  }

  static Login login(String username, String password) throws IOException, InterruptedException {
    HttpResponse<String> response =
        Api.post(
            "v1/auth/login",
            null,
            "{\"username\":" + Api.q(username) + ",\"password\":" + Api.q(password) + "}");
    assertEquals(200, response.statusCode(), response.body());
    var session = Json.object(response.body());
    return new Login(
        session.getJsonObject("user").getJsonNumber("id").longValue(),
        username,
        password,
        session.getString("accessToken"),
        session.getString("refreshToken"));
  }
}
