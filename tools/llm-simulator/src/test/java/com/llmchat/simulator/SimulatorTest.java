package com.llmchat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path recordings;
  private static Simulator simulator;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(
        recordings.resolve("short.sse"),
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"rec\"}}]}\n\n: keep-alive\n\ndata: [DONE]");
    simulator = Simulator.start(Simulator.Options.defaults().withPort(0).withReplayDir(recordings));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static HttpResponse<String> chat(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String stream(String prompt) {
    return "{\"model\":\"demo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}]}";
  }

  @Test
  void listsItsModels() throws Exception {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/models")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"id\":\"demo\""), response.body());
  }

  @Test
  void streamsTokensThenUsageThenDone() throws Exception {
    var response =
        chat(stream("hi"), "X-Sim-Tokens", "3", "X-Sim-Gap-Ms", "1", "X-Sim-Ttft-Ms", "1");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String> data = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
    assertEquals(
        1 + 3 + 1 + 1 + 1, data.size(), response.body()); // role, tokens, finish, usage, DONE
    assertTrue(data.get(5).contains("\"completion_tokens\":3"), data.get(5));
    assertEquals("data: [DONE]", data.get(6));
  }

  @Test
  void directiveInTheMessageSteersTheAnswer() throws Exception {
    var response = chat(stream("hello [sim tokens=2 gap-ms=1 ttft-ms=1 usage=false]"));
    List<String> data = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
    assertEquals(1 + 2 + 1 + 1, data.size(), response.body());
  }

  @Test
  void anUnsteeredMessageGetsTheDemoAnswerInItsLanguage() throws Exception {
    String english = whole("hello");
    assertTrue(english.contains("## Hello from the demo model"), english);
    assertTrue(english.contains("```python"), english);
    assertTrue(english.contains("| Try | Where |"), english);
    assertTrue(english.contains("\"reasoning_content\":\"The user wrote"), english);
    String chinese = whole("你好");
    assertTrue(chinese.contains("## 你好，我是演示模型"), chinese);
    assertTrue(chinese.contains("用户在和演示模型对话"), chinese);
    String steered = whole("hello [sim tokens=2]");
    assertTrue(steered.contains("\"content\":\"This is\""), steered);
  }

  @Test
  void theDemoAnswerStreamsAWordOrTwoChineseCharactersAtATime() {
    assertEquals(List.of("Hello", " world,", " 你好", "世界"), Demo.pieces("Hello world, 你好世界"));
  }

  private static String whole(String prompt) throws Exception {
    var response =
        chat(
            "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt
                + "\"}]}");
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  @Test
  void rateLimitFaultAnswers429BeforeTheStream() throws Exception {
    var response = chat(stream("x"), "X-Sim-Fault", "http-429");
    assertEquals(429, response.statusCode());
    assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
    assertTrue(response.body().contains("rate_limit_exceeded"));
  }

  @Test
  void failTimesLetsTheRetryAfterTheLastFailureSucceed() throws Exception {
    String directive =
        "x [sim fault=http-500 fail-times=2 key=retry-test tokens=1 gap-ms=1 ttft-ms=1]";
    assertEquals(500, chat(stream(directive)).statusCode());
    assertEquals(500, chat(stream(directive)).statusCode());
    assertEquals(200, chat(stream(directive)).statusCode());
  }

  @Test
  void resetFaultCutsTheConnectionAfterNChunks() {
    assertThrows(IOException.class, () -> chat(stream("x [sim fault=reset:2 gap-ms=1 ttft-ms=1]")));
  }

  @Test
  void malformedFaultSendsABrokenChunk() throws Exception {
    var response = chat(stream("x [sim fault=malformed:1 tokens=2 gap-ms=1 ttft-ms=1]"));
    assertTrue(response.body().contains("\"unterminated\n"), response.body());
  }

  @Test
  void replaysARecordingVerbatim() throws Exception {
    var response =
        chat(stream("x"), "X-Sim-Replay", "short", "X-Sim-Gap-Ms", "1", "X-Sim-Ttft-Ms", "1");
    assertEquals(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"rec\"}}]}\n\n: keep-alive\n\ndata: [DONE]",
        response.body());
  }

  @Test
  void unknownModelIs404() throws Exception {
    assertEquals(404, chat("{\"model\":\"nope\",\"messages\":[]}").statusCode());
  }

  @Test
  void nonStreamingAnswerIsOneJsonBody() throws Exception {
    var response =
        chat(
            "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}",
            "X-Sim-Tokens",
            "4",
            "X-Sim-Ttft-Ms",
            "1");
    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"object\":\"chat.completion\""), response.body());
    assertTrue(response.body().contains("\"completion_tokens\":4"), response.body());
  }
}
