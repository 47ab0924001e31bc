package com.llmchat.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops as in a crash ({@code pg_ctl -m immediate}) while replies stream: the streams
 * end with a {@code storage_failed} error event, readiness goes DOWN, and when PostgreSQL is back
 * the server recovers by itself: readiness UP, the replies that could not be stored are stored
 * whole after all, and their conversations take new messages.
 */
class DatabaseCrashIT extends DeployedEar {

  private static final int STREAMS = 5;

  @Test
  void aDatabaseCrashMidStreamLosesNoReplyAndTheServerRecoversByItself() throws Exception {
    Platform.simulator();
    String token = Tokens.user();
    Map<Long, AtomicInteger> deltas = new ConcurrentHashMap<>();
    Map<Long, SseClient.Result> results = new ConcurrentHashMap<>();
    List<Thread> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      long conversation = SseClient.conversation(token, "demo");
      AtomicInteger seen = new AtomicInteger();
      deltas.put(conversation, seen);
      Thread stream =
          new Thread(
              () -> {
                try {
                  results.put(
                      conversation,
                      SseClient.stream(
                          token,
                          "v1/conversations/" + conversation + "/messages",
                          "{\"content\":\"Through the crash [sim tokens=60 gap-ms=50]\"}",
                          event -> {
                            if (event.name().equals("delta")) {
                              seen.incrementAndGet();
                            }
                          }));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      stream.start();
      streams.add(stream);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deltas.values().stream().allMatch(seen -> seen.get() >= 2));
    try {
      Platform.launcher("db", "stop", "--immediate");
      for (Thread stream : streams) {
        stream.join(60_000);
      }
      for (var result : results.entrySet()) {
        var errors = result.getValue().named("error");
        assertEquals(1, errors.size(), result.getValue().events().toString());
        assertEquals("storage_failed", Json.object(errors.get(0).data()).getString("code"));
        assertTrue(result.getValue().named("delta").size() >= 50, "the model's words still came");
      }
      assertEquals(STREAMS, results.size(), "every stream ended");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Platform.readyStatus() == 503);
    } finally {
      Platform.launcher("db", "start");
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Platform.readyStatus() == 200);

    // the replies are stored after all, whole, and the conversations go on
    for (long conversation : deltas.keySet()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> lastReply(token, conversation).getString("status").equals("complete"));
      var reply = lastReply(token, conversation);
      assertEquals(59, reply.getString("content").chars().filter(c -> c == ' ').count());
      var again = SseClient.send(token, conversation, "And now? [sim tokens=2 gap-ms=1]", null);
      assertEquals("complete", again.reply().getString("status"), again.events().toString());
    }
  }

  private static jakarta.json.JsonObject lastReply(String token, long conversation)
      throws Exception {
    var items =
        Json.object(Api.get("v1/conversations/" + conversation + "/messages?limit=2", token).body())
            .getJsonArray("items");
    return items.getJsonObject(items.size() - 1);
  }
}
