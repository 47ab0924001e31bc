package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A streaming reply is held by its server through a lease it renews (every second here: the test
 * run's LLMCHAT_STREAM_LEASE_SECONDS is 3). A reply whose server died is freed by the next sweep,
 * without a restart; a reply that streams longer than its lease has it renewed.
 */
class StreamLeasesIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aReplyWhoseServerStoppedIsEndedByTheSweepAndItsConversationGoesOn() throws Exception {
    assertEquals(
        "3", Platform.requiredEnv("LLMCHAT_STREAM_LEASE_SECONDS"), "run by bin/llmchat test");
    String token = Tokens.user();
    long conversation = SseClient.conversation(token, "demo");
    // what a server that died while streaming leaves behind: a question, a streaming reply whose
    // lease ran out
    // ids from a block of the sequence taken here, which the server will never use (it reads the
    // sequence's value as the last id of a block of 50)
    long question = Long.parseLong(Platform.queryOne("select nextval('message_seq')")) - 49;
    Platform.update(
        "insert into message (id, conversation_id, owner_id, position, role, content, status,"
            + " superseded, created_at, completed_at, version)"
            + " select ?, id, owner_id, 0, 'USER', 'Asked on a server that died', 'COMPLETE',"
            + " false, now(), now(), 1 from conversation where id = ?",
        question,
        conversation);
    Platform.update(
        "insert into message (id, conversation_id, owner_id, position, parent_id, role, content,"
            + " status, superseded, model, created_at, version, lease_until)"
            + " select ?, id, owner_id, 1, ?, 'ASSISTANT', '', 'STREAMING', false, 'demo', now(),"
            + " 1, now() - interval '1 minute' from conversation where id = ?",
        question + 1,
        question,
        conversation);
    Platform.update("update conversation set next_position = 2 where id = ?", conversation);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> Platform.queryOne("select status from message where id = ?", question + 1),
            status -> status.equals("INTERRUPTED"));
    assertEquals(
        "server_gone",
        Platform.queryOne("select error_code from message where id = ?", question + 1));

    var next = SseClient.send(token, conversation, "Still there? [sim tokens=3 gap-ms=1]", null);
    assertEquals("complete", next.reply().getString("status"), next.events().toString());
  }

  @Test
  void aReplyStreamingLongerThanItsLeaseHasItRenewed() throws Exception {
    String token = Tokens.user();
    long conversation = SseClient.conversation(token, "demo");
    // 7 s of tokens against a lease of 3 s
    var chat =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SseClient.send(
                    token, conversation, "Take your time [sim tokens=35 gap-ms=200]", null);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    String lease =
        "select extract(epoch from lease_until) from message"
            + " where conversation_id = ? and status = 'STREAMING'";
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Platform.queryOne(lease, conversation) != null);
    double first = Double.parseDouble(Platform.queryOne(lease, conversation));
    Awaitility.await()
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Double.parseDouble(Platform.queryOne(lease, conversation)) > first);

    var result = chat.get(30, TimeUnit.SECONDS);
    assertEquals("complete", result.reply().getString("status"), result.events().toString());
    assertEquals(35, result.named("delta").size());
    assertNull(
        Platform.queryOne(
            "select lease_until from message where conversation_id = ? and role = 'ASSISTANT'",
            conversation),
        "an ended reply holds no lease");
  }
}
