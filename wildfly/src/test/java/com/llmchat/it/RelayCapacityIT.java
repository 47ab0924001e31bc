package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Streams hold no database connection: with a pool of 5 (the test run's LLMCHAT_DB_POOL_MAX) and 50
 * slow replies streaming, the API still answers and no session sits idle in a transaction.
 */
class RelayCapacityIT extends DeployedEar {

  /** More than RESTEasy's default of 50 pooled connections per model server. */
  private static final int STREAMS = 60;

  @Test
  void sixtySlowStreamsStreamTogetherAndLeaveTheFiveConnectionPoolFree() throws Exception {
    var simulator = Platform.simulator();
    assertEquals("5", Platform.requiredEnv("LLMCHAT_DB_POOL_MAX"), "run by bin/llmchat test");
    assertEquals(
        "3", Platform.requiredEnv("LLMCHAT_DB_AUTOCOMMIT_POOL_MAX"), "run by bin/llmchat test");
    String user = TestAccounts.user("crowd").accessToken();
    long streamingBefore = simulator.activeStreams();
    ExecutorService clients = Executors.newFixedThreadPool(STREAMS);
    List<Future<SseClient.Result>> streams = new ArrayList<>();
    try {
      for (int i = 0; i < STREAMS; i++) {
        long conversation = SseClient.conversation(user, "demo");
        streams.add(
            clients.submit(
                () ->
                    SseClient.send(user, conversation, "Slowly [sim tokens=40 gap-ms=200]", null)));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> simulator.activeStreams() - streamingBefore >= STREAMS);

      long started = System.nanoTime();
      var listing = Api.get("v1/conversations?limit=20", user);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(200, listing.statusCode(), listing.body());
      assertTrue(millis < 1_000, "listing took " + millis + " ms during " + STREAMS + " streams");

      // a transaction of the server's own (a lease renewal) is idle for a moment between its
      // statement and its commit; a stream holding one would be idle in it for seconds
      String idleInTransaction =
          Platform.queryOne(
              "select count(*) from pg_stat_activity"
                  + " where datname = current_database() and state like 'idle in transaction%'"
                  + " and now() - state_change > interval '1 second'");
      assertEquals("0", idleInTransaction, "sessions idle in a transaction for over a second");
      String connections =
          Platform.queryOne(
              "select count(*) from pg_stat_activity"
                  + " where datname = current_database() and pid <> pg_backend_pid()");
      // both pools at most: the transactions' 5 and the budget reservations' auto-commit 3
      assertTrue(
          Integer.parseInt(connections) <= 5 + 3,
          connections + " server connections for " + STREAMS + " streams");

      for (Future<SseClient.Result> stream : streams) {
        var result = stream.get();
        assertEquals("complete", result.reply().getString("status"), result.events().toString());
      }
    } finally {
      clients.shutdownNow();
    }
  }
}
