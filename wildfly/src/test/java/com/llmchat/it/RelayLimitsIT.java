package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a model server (or a user's own provider) can make this server hold is bounded: an endless
 * line or an endless reply ends the answer with an error event, the reply is stored with what came
 * before, and the conversation takes the next message at once. The limits are the defaults.
 */
class RelayLimitsIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aLineLongerThanTheLimitEndsTheAnswerWithAnError() throws Exception {
    String token = Tokens.user();
    long conversation = SseClient.conversation(token, "demo");
    // one delta of 1.1 million characters: a line over the 1 MiB limit
    var result =
        SseClient.send(token, conversation, "Endless [sim tokens=1 piece-chars=1100000]", null);

    assertEquals(
        "upstream_too_large",
        Json.object(result.named("error").get(0).data()).getString("code"),
        result.named("error").toString());
    assertTrue(result.named("delta").isEmpty(), "nothing of the line was passed on");
    assertEquals("failed", result.reply().getString("status"));
    assertEquals("upstream_too_large", result.reply().getString("errorCode"));

    var next = SseClient.send(token, conversation, "And now? [sim tokens=3 gap-ms=1]", null);
    assertEquals("complete", next.reply().getString("status"), "the conversation goes on");
  }

  @Test
  void aReplyLongerThanTheLimitIsStoredInterruptedWithWhatCameBefore() throws Exception {
    String token = Tokens.user();
    long conversation = SseClient.conversation(token, "demo");
    // 12 deltas of 800,000 characters; the limit (8 Mi characters) is passed by the 11th
    var result =
        SseClient.send(
            token, conversation, "Flood [sim tokens=12 piece-chars=800000 gap-ms=0]", null);

    assertEquals(10, result.named("delta").size(), "the deltas within the limit");
    assertEquals(
        "upstream_too_large", Json.object(result.named("error").get(0).data()).getString("code"));
    assertEquals("interrupted", result.reply().getString("status"));
    assertEquals(8_000_000, result.reply().getString("content").length());
  }
}
