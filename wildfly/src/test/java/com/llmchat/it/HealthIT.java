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
}
