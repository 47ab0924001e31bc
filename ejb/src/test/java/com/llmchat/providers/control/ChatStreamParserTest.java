package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.llmchat.providers.entity.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChatStreamParserTest {

  private final List<StreamEvent> events = new ArrayList<>();
  private final ChatStreamParser parser = new ChatStreamParser(events::add);

  private void feed(String body) {
    body.lines().forEach(parser::line);
    parser.end();
  }

  @Test
  void contentReasoningFinishUsageAndDone() {
    feed(
        """
        data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

        data: {"choices":[{"index":0,"delta":{"reasoning_content":"Hmm"}}]}

        data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}

        data: [DONE]

        """);
    assertEquals(
        List.of(
            new StreamEvent.Delta(null, "Hmm"),
            new StreamEvent.Delta("Hi", null),
            new StreamEvent.Finish("stop"),
            new StreamEvent.Usage(
                3, 2, 5, "{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}"),
            new StreamEvent.Done()),
        events);
  }

  @Test
  void reasoningDetailsAloneAreReasoningAndBesideReasoningCountOnce() {
    feed(
        """
        data: {"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","text":"Think"},{"type":"reasoning.encrypted","data":"c2VjcmV0"}]}}]}

        data: {"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.summary","summary":"ing."}]}}]}

        data: {"choices":[{"index":0,"delta":{"reasoning":"Twice?","reasoning_details":[{"type":"reasoning.text","text":"Twice?"}]}}]}

        """);
    assertEquals(
        List.of(
            new StreamEvent.Delta(null, "Think"),
            new StreamEvent.Delta(null, "ing."),
            new StreamEvent.Delta(null, "Twice?")),
        events);
  }

  @Test
  void anEventLargerThanTheLimitEndsTheStream() {
    var limited = new ChatStreamParser(events::add, 100);
    limited.line("data: {\"choices\":[{\"delta\":{\"content\":\"fits\"}}]}");
    limited.line("");
    limited.line("data: {\"choices\":[{\"delta\":");
    org.junit.jupiter.api.Assertions.assertThrows(
        UpstreamLimitException.class, () -> limited.line("data: \"" + "z".repeat(80) + "\"}"));
    assertEquals(List.of(new StreamEvent.Delta("fits", null)), events);
  }

  static List<String> unreadableNumbers() {
    return List.of("222222e2222222222222222", "1e99999999999", "7".repeat(1200));
  }

  /**
   * A number Parsson cannot read is a malformed chunk, not a broken stream: an exponent past an int
   * (NumberFormatException, found by the fuzz target), or more than 1,100 characters
   * (UnsupportedOperationException); each used to escape the parser.
   */
  @ParameterizedTest
  @MethodSource("unreadableNumbers")
  void aNumberPastWhatANumberCanBeIsAMalformedChunk(String unreadable) {
    feed(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"x\":"
            + unreadable
            + "}\n\ndata: [DONE]\n");
    assertEquals(
        List.of(
            new StreamEvent.Error("Malformed chunk from the model server", "malformed_chunk"),
            new StreamEvent.Done()),
        events);
  }

  @Test
  void commentsAndUnknownFieldsAreIgnored() {
    feed(
        """
        : OPENROUTER PROCESSING

        id: 7
        retry: 1000
        data: {"id":"x","choices":[{"index":0,"delta":{"content":"a","extra":1}}],"provider":"p"}

        """);
    assertEquals(List.of(new StreamEvent.Delta("a", null)), events);
  }

  @Test
  void lastEventWithoutBlankLineStillCounts() {
    feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"end\"}}]}");
    assertEquals(List.of(new StreamEvent.Delta("end", null)), events);
  }

  @Test
  void reasoningFieldAsUsedByOpenRouterAndGroq() {
    feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"think\"}}]}\n\n");
    assertEquals(List.of(new StreamEvent.Delta(null, "think")), events);
  }

  @Test
  void usageOnlyUnderXGroq() {
    feed(
        "data: {\"choices\":[],\"x_groq\":{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6}}}\n\n");
    assertEquals(
        List.of(new StreamEvent.Usage(4, 6, 10, "{\"prompt_tokens\":4,\"completion_tokens\":6}")),
        events);
  }

  @Test
  void reportedReasoningTokensAreReadWithTheUsage() {
    String usage =
        "{\"prompt_tokens\":4,\"completion_tokens\":9,\"total_tokens\":13,"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":7}}";
    feed("data: {\"choices\":[],\"usage\":" + usage + "}\n\n");
    assertEquals(List.of(new StreamEvent.Usage(4, 9, 13, 7L, usage)), events);
  }

  @Test
  void nullUsageIsNotAUsageEvent() {
    feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],\"usage\":null}\n\n");
    assertEquals(List.of(new StreamEvent.Delta("x", null)), events);
  }

  @Test
  void errorPayloadMidStream() {
    feed(
        """
        data: {"choices":[{"index":0,"delta":{"content":"par"}}]}

        data: {"error":{"message":"overloaded","type":"server_error","code":503}}

        """);
    assertEquals(new StreamEvent.Delta("par", null), events.get(0));
    var error = assertInstanceOf(StreamEvent.Error.class, events.get(1));
    assertEquals("overloaded", error.message());
    assertEquals("503", error.code());
  }

  @Test
  void errorEventFrame() {
    feed("event: error\ndata: {\"message\":\"bad things\",\"type\":\"invalid_request_error\"}\n\n");
    var error = assertInstanceOf(StreamEvent.Error.class, events.get(0));
    assertEquals("bad things", error.message());
    assertEquals("invalid_request_error", error.code());
  }

  @Test
  void malformedChunkBecomesAnError() {
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"unterminated\n\n");
    var error = assertInstanceOf(StreamEvent.Error.class, events.get(0));
    assertEquals("malformed_chunk", error.code());
  }

  @Test
  void multiLineDataIsJoined() {
    feed("data: {\"choices\":[{\"index\":0,\ndata: \"delta\":{\"content\":\"joined\"}}]}\n\n");
    assertEquals(List.of(new StreamEvent.Delta("joined", null)), events);
  }
}
