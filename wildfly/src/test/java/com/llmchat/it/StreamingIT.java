package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JAX-RS and SSE end to end: a message sent to a conversation is answered by the simulator through
 * the MicroProfile REST Client, its tokens relayed as they come.
 */
class StreamingIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void publicInfoEndpointAnswersJson() throws Exception {
    HttpResponse<String> response = Platform.get(Platform.APP + "/api/v1/info", null);
    assertEquals(200, response.statusCode());
    var info = Json.object(response.body());
    assertEquals("LLM Chat", info.getString("product"));
    assertTrue(info.getString("instanceId").matches("[0-9a-f-]{36}"), info.toString());
  }

  @Test
  void modelListShowsTheSimulatedDemoModel() throws Exception {
    HttpResponse<String> response = Platform.get(Platform.APP + "/api/v1/models", Tokens.user());
    assertEquals(200, response.statusCode());
    // other tests add shared models of their own: find the preset one among them
    var model =
        Json.array(response.body()).stream()
            .map(value -> value.asJsonObject())
            .filter(candidate -> candidate.getString("id").equals("demo"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no demo model in " + response.body()));
    assertEquals("Demo (simulated)", model.getString("displayName"));
    assertTrue(model.getBoolean("simulated"));
  }

  @Test
  void tokensArriveAsTheModelProducesThem() throws Exception {
    long requestsBefore = simulatorRequests();
    var result =
        SseClient.chat(
            Tokens.user(), "demo", "Say something [sim ttft-ms=100 tokens=8 gap-ms=150]");

    assertEquals(200, result.status());
    assertTrue(result.contentType().startsWith("text/event-stream"), result.contentType());
    List<SseClient.Event> deltas = result.named("delta");
    assertEquals(8, deltas.size(), "one delta per simulated token");
    assertEquals("This is a simulated answer from the LLM", result.content());
    // 7 gaps of 150 ms upstream: a relay that buffers would deliver everything in one burst
    long spreadMillis = (deltas.get(7).arrivedNanos() - deltas.get(0).arrivedNanos()) / 1_000_000;
    assertTrue(spreadMillis >= 700, "deltas arrived within " + spreadMillis + " ms");
    long spacedGaps = 0;
    for (int i = 1; i < deltas.size(); i++) {
      if (deltas.get(i).arrivedNanos() - deltas.get(i - 1).arrivedNanos() >= 50_000_000) {
        spacedGaps++;
      }
    }
    // a loaded machine may delay one token onto the next; most must still come apart
    assertTrue(spacedGaps >= 5, spacedGaps + " of 7 gaps were 50 ms or more");
    var usage = Json.object(result.named("usage").get(0).data());
    assertEquals(8, usage.getInt("completionTokens"));
    var done = result.events().get(result.events().size() - 1);
    assertEquals("done", done.name());
    assertEquals("stop", Json.object(done.data()).getString("finishReason"));
    assertTrue(simulatorRequests() > requestsBefore, "the simulator served the call");
  }

  @Test
  void aClientThatHangsUpAndDoesNotComeBackHasTheUpstreamCallCancelledAfterTheResumeWindow()
      throws Exception {
    long abandonedBefore = simulatorStat("abandonedStreams");
    // two tokens, then hang up with 30 s of answer still to come
    hangUpAfterTwoTokens("long [sim tokens=300 gap-ms=100]");
    // the reply streams on for the client to take it up again (the test run's window: 3 s)
    Thread.sleep(1_500);
    assertEquals(abandonedBefore, simulatorStat("abandonedStreams"), "cancelled at once");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(2 + RESUME_WINDOW_SECONDS))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(() -> simulatorStat("abandonedStreams") > abandonedBefore);
  }

  /** The test run's LLMCHAT_STREAM_RESUME_SECONDS. */
  static final int RESUME_WINDOW_SECONDS = 3;

  @Test
  void aStreamCutMidReplyIsTakenUpAfterItsLastEventWithNoDeltaMissingOrRepeated() throws Exception {
    String user = Tokens.user();
    long conversation = SseClient.conversation(user, "demo");
    SseClient.Result first =
        SseClient.cutAfter(5, Platform.APP, user, conversation, "Go on [sim tokens=40 gap-ms=40]");
    String lastId = SseClient.lastId(first);
    // the reply goes on meanwhile, into its journal
    Thread.sleep(300);
    SseClient.Result rest = resume(user, conversation, first.replyId(), lastId);
    var whole = SseClient.joined(first, rest);
    assertEquals("complete", rest.reply().getString("status"));
    assertEquals(rest.reply().getString("content"), whole.content());
    assertEquals(40, whole.named("delta").size());
    assertEquals(
        rest.reply().getString("content"),
        ConversationsIT.messages(user, conversation).get(1).getString("content"));

    // taken up again from the same event after the end: the same events
    SseClient.Result again = resume(user, conversation, first.replyId(), lastId);
    assertEquals(
        rest.events().stream().map(e -> e.id() + e.data()).toList(),
        again.events().stream().map(e -> e.id() + e.data()).toList());
  }

  @Test
  void aStreamIsTakenUpOnlyByItsOwnerWithAValidLastEventId() throws Exception {
    String user = Tokens.user();
    long conversation = SseClient.conversation(user, "demo");
    var reply = SseClient.send(user, conversation, "Short [sim tokens=3 gap-ms=5]", null);
    var other = TestAccounts.user("stranger").accessToken();
    assertEquals(404, resume(other, conversation, reply.replyId(), "1").status());
    HttpResponse<String> bad =
        Platform.HTTP.send(
            Platform.json(
                    Platform.APP
                        + "/api/v1/conversations/"
                        + conversation
                        + "/messages/"
                        + reply.replyId()
                        + "/events",
                    user)
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "seven")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode(), bad.body());
    long questionId =
        Json.object(reply.named("message").get(0).data())
            .getJsonObject("question")
            .getJsonNumber("id")
            .longValue();
    assertEquals(409, resume(user, conversation, questionId, "1").status());
  }

  /** GET …/events with Last-Event-ID. */
  static SseClient.Result resume(String token, long conversation, long reply, String lastId)
      throws Exception {
    return SseClient.resume(Platform.APP, token, conversation, reply, lastId);
  }

  @Test
  void proxiesAreToldNotToBufferAndSilenceIsFilledWithHeartbeats() throws Exception {
    // the test run sends heartbeats every second (LLMCHAT_STREAM_HEARTBEAT_SECONDS=1)
    var result =
        SseClient.chat(Tokens.user(), "demo", "think first [sim ttft-ms=3500 tokens=2 gap-ms=5]");
    assertEquals("no", result.headers().firstValue("X-Accel-Buffering").orElse(""));
    assertTrue(
        result.commentsBeforeFirstEvent() >= 2, result.commentsBeforeFirstEvent() + " heartbeats");
    assertEquals("This is", result.content());
  }

  @Test
  void clientHangingUpDuringASilentUpstreamIsNoticedByTheHeartbeat() throws Exception {
    long abandonedBefore = simulatorStat("abandonedStreams");
    hangUpAfterTwoTokens("stall [sim tokens=50 gap-ms=20 fault=stall:3]");
    // nothing more comes from upstream: only a failing heartbeat can tell the client is gone; the
    // reply waits the resume window for it to come back
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5 + RESUME_WINDOW_SECONDS))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> simulatorStat("abandonedStreams") > abandonedBefore);
  }

  @Test
  void eventIdsIncreaseWithoutGaps() throws Exception {
    var result = SseClient.chat(Tokens.user(), "demo", "Count [sim tokens=5 gap-ms=5]");
    for (int i = 0; i < result.events().size(); i++) {
      assertEquals(String.valueOf(i + 1), result.events().get(i).id());
    }
  }

  @Test
  void upstreamFailureBecomesAnErrorEventNotASilentEnd() throws Exception {
    var result = SseClient.chat(Tokens.user(), "demo", "Fail please [sim fault=http-500]");
    assertEquals(200, result.status());
    List<SseClient.Event> errors = result.named("error");
    assertEquals(1, errors.size(), result.events().toString());
    assertEquals("upstream_failed", Json.object(errors.get(0).data()).getString("code"));
  }

  @Test
  void transientUpstreamErrorsBeforeTheFirstTokenAreRetried() throws Exception {
    long before = simulatorRequests();
    String key = java.util.UUID.randomUUID().toString();
    var result =
        SseClient.chat(
            Tokens.user(),
            "demo",
            "Retry me [sim fault=http-500 fail-times=2 key=" + key + " tokens=3 gap-ms=5]");
    assertTrue(result.named("error").isEmpty(), result.events().toString());
    assertEquals("This is a", result.content());
    assertEquals(3, simulatorRequests() - before, "two failures, then the answer");
  }

  @Test
  void rateLimitedRequestIsRetriedAfterTheServersRetryAfter() throws Exception {
    String key = java.util.UUID.randomUUID().toString();
    var result =
        SseClient.chat(
            Tokens.user(),
            "demo",
            "Busy [sim fault=http-429 fail-times=1 key=" + key + " tokens=2 gap-ms=5]");
    assertTrue(result.named("error").isEmpty(), result.events().toString());
    assertEquals("This is", result.content());
  }

  @Test
  void errorInTheMiddleOfTheStreamKeepsWhatCameBefore() throws Exception {
    var result =
        SseClient.chat(Tokens.user(), "demo", "Half [sim tokens=6 gap-ms=5 fault=error:4]");
    assertTrue(result.content().startsWith("This is"), result.content());
    assertEquals(
        "simulated_error", Json.object(result.named("error").get(0).data()).getString("code"));
  }

  @Test
  void unknownModelIsAProblemBeforeAnyStream() throws Exception {
    HttpResponse<String> response =
        Api.post("v1/conversations", Tokens.user(), "{\"model\":\"gpt-9\"}");
    assertEquals(404, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(Json.object(response.body()).getString("type").endsWith("/unknown-model"));
  }

  @Test
  void missingContentIsABadRequest() throws Exception {
    HttpResponse<String> response = postMessage("{\"clientMessageId\":\"x\"}");
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(
        Json.object(response.body()).getString("detail").contains("content"), response.body());
  }

  /** Reads a chat stream until two tokens came, then closes the connection. */
  static long hangUpAfterTwoTokens(String prompt) throws Exception {
    long conversation = SseClient.conversation(Tokens.user(), "demo");
    String body = "{\"content\":" + Api.q(prompt) + "}";
    HttpResponse<java.util.stream.Stream<String>> response =
        Platform.HTTP.send(
            Platform.json(
                    Platform.APP + "/api/v1/conversations/" + conversation + "/messages",
                    Tokens.user())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    try (var lines = response.body()) {
      assertEquals(2, lines.filter(line -> line.equals("event: delta")).limit(2).count());
    }
    return conversation;
  }

  private static HttpResponse<String> postMessage(String body) throws Exception {
    long conversation = SseClient.conversation(Tokens.user(), "demo");
    return Platform.HTTP.send(
        Platform.json(
                Platform.APP + "/api/v1/conversations/" + conversation + "/messages", Tokens.user())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static long simulatorRequests() throws Exception {
    return simulatorStat("requests");
  }

  static long simulatorStat(String name) throws Exception {
    return Platform.stat(Platform.simulator(), name);
  }
}
