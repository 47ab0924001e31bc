package com.llmchat.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** MicroProfile Health probes; readiness follows the database. */
class HealthIT extends DeployedEar {

  @Test
  void liveReadyAndStartedAreUp() throws Exception {
    for (String probe : new String[] {"live", "ready", "started"}) {
      HttpResponse<String> response = Platform.get(Platform.MANAGEMENT + "/health/" + probe, null);
      assertEquals(200, response.statusCode(), probe + ": " + response.body());
      assertEquals("UP", Json.object(response.body()).getString("status"));
    }
    assertTrue(
        Platform.get(Platform.MANAGEMENT + "/health/ready", null).body().contains("\"database\""));
    assertTrue(
        Platform.get(Platform.MANAGEMENT + "/health/started", null).body().contains("\"schema\""));
  }

  @Test
  void readinessGoesDownWithPostgresqlAndComesBack() throws Exception {
    try {
      Platform.launcher("db", "stop");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Platform.readyStatus() == 503);
      assertTrue(
          Platform.get(Platform.MANAGEMENT + "/health/ready", null).body().contains("\"DOWN\""));
      assertEquals(
          200,
          Platform.get(Platform.MANAGEMENT + "/health/live", null).statusCode(),
          "a missing database is not a reason to restart the server");
    } finally {
      Platform.launcher("db", "start");
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Platform.readyStatus() == 200);
  }

  /**
   * PostgreSQL restarted under pooled connections, with nothing probing in between: at most the
   * first write after it meets a connection PostgreSQL closed; that one takes the pool's others
   * with it ({@code ConnectionLossSorter}, flush strategy {@code AllConnections}).
   */
  @Test
  void afterPostgresqlRestartedAtMostOneRequestMeetsADeadConnection() throws Exception {
    var user = TestAccounts.user("restart");
    // several connections in the pool before the restart: each is dead after it
    java.util.List<Thread> busy = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  SseClient.conversation(user.accessToken(), "demo");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      thread.start();
      busy.add(thread);
    }
    for (Thread thread : busy) {
      thread.join();
    }
    // and a connection in each pool the readiness probe uses, dead after the restart too
    assertEquals(200, Platform.readyStatus());
    Platform.launcher("db", "stop");
    Platform.launcher("db", "start");
    java.util.List<String> failed = new java.util.ArrayList<>();
    for (int i = 0; i < 24; i++) {
      // a write in a transaction (EclipseLink retries a failed read on another connection)
      HttpResponse<String> made =
          Api.post(
              "v1/conversations",
              user.accessToken(),
              "{\"model\":\"demo\",\"title\":\"After the restart " + i + "\"}");
      if (made.statusCode() != 201) {
        failed.add(i + ": " + made.statusCode() + " " + made.body());
      }
    }
    assertTrue(
        failed.isEmpty() || (failed.size() == 1 && failed.get(0).startsWith("0: ")),
        "requests that met a dead connection: " + failed);
    assertEquals(
        200,
        Platform.readyStatus(),
        "PostgreSQL is back: a dead pooled connection is no reason to report it down");
  }
}
