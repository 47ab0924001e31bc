package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.UpstreamCall;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamRequestsTest {

  private static Route route(boolean includeUsage, Double temperature, Integer maxTokens) {
    return new Route(
        1,
        "P",
        "http://m/v1",
        "Bearer k",
        "upstream-id",
        includeUsage,
        false,
        1000,
        1000,
        temperature,
        maxTokens,
        null,
        true,
        false);
  }

  private static JsonObject sent(String request, Route route, boolean stream) {
    return JsonFactory.parseObject(
        UpstreamRequests.body(
            CompletionRequest.passedThrough(
                "alias", JsonFactory.parseObject(request), List.of(route), 0),
            route,
            stream ? UpstreamCall.STREAMED_CHAT : UpstreamCall.WHOLE_CHAT));
  }

  @Test
  void anApplicationsRequestGoesOnWithOnlyTheModelReplaced() {
    String request =
        "{\"model\":\"alias\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"Hi\"}]}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
            + "\"tool_choice\":\"auto\",\"response_format\":{\"type\":\"json_object\"},"
            + "\"temperature\":0.1,\"max_tokens\":9,\"extra\":{\"a\":[1]}}";
    JsonObject sent = sent(request, route(true, 0.7, 100), false);
    JsonObject expected =
        JsonFactory.object(JsonFactory.parseObject(request)).add("model", "upstream-id").build();
    assertEquals(expected, sent);
  }

  @Test
  void theModelsDefaultsFillOnlyWhatTheApplicationLeftOut() {
    JsonObject sent = sent("{\"model\":\"alias\",\"messages\":[]}", route(false, 0.7, 100), false);
    assertEquals(0.7, sent.getJsonNumber("temperature").doubleValue());
    assertEquals(100, sent.getInt("max_tokens"));
    JsonObject newer =
        sent(
            "{\"model\":\"alias\",\"messages\":[],\"max_completion_tokens\":5}",
            route(false, null, 100),
            false);
    assertFalse(newer.containsKey("max_tokens"), newer.toString());
    assertFalse(newer.containsKey("temperature"));
  }

  @Test
  void usageIsAskedForWhenStreamingToAModelThatReportsIt() {
    JsonObject asked =
        sent(
            "{\"model\":\"alias\",\"stream\":true,\"messages\":[],"
                + "\"stream_options\":{\"other\":1}}",
            route(true, null, null),
            true);
    assertEquals(
        JsonFactory.parseObject("{\"other\":1,\"include_usage\":true}"),
        asked.getJsonObject("stream_options"));
    assertFalse(
        sent("{\"model\":\"a\",\"stream\":true,\"messages\":[]}", route(false, null, null), true)
            .containsKey("stream_options"),
        "a model whose server does not take stream_options");
    assertFalse(
        sent("{\"model\":\"a\",\"messages\":[]}", route(true, null, null), false)
            .containsKey("stream_options"),
        "not streamed: usage comes anyway");
    assertTrue(
        UpstreamRequests.asksForUsage(
            JsonFactory.parseObject("{\"stream_options\":{\"include_usage\":true}}")));
    assertFalse(
        UpstreamRequests.asksForUsage(
            JsonFactory.parseObject("{\"stream_options\":{\"include_usage\":\"yes\"}}")));
  }

  @Test
  void embeddingsGoOnAsTheyCameWithTheRoutesModelAndNoChatDefaults() {
    String request = "{\"model\":\"alias\",\"input\":[\"a\",\"b\"],\"dimensions\":8}";
    Route route = route(true, 0.7, 100);
    JsonObject sent =
        JsonFactory.parseObject(
            UpstreamRequests.body(
                CompletionRequest.passedThrough(
                    "alias", JsonFactory.parseObject(request), List.of(route), 0),
                route,
                UpstreamCall.EMBEDDINGS));
    assertEquals(
        JsonFactory.object(JsonFactory.parseObject(request)).add("model", "upstream-id").build(),
        sent);
  }

  @Test
  void aTurnWithImagesIsSentAsTextAndImageParts() {
    var turns =
        List.of(
            new CompletionRequest.Turn("user", "plain"),
            new CompletionRequest.Turn(
                "user",
                "What is it?",
                List.of(new CompletionRequest.Image("image/webp", new byte[] {(byte) 0xff, 0}))),
            new CompletionRequest.Turn(
                "user", "", List.of(new CompletionRequest.Image("image/png", new byte[] {1}))));
    var request = new CompletionRequest("alias", turns, null, null, List.of(), 0);
    JsonObject sent =
        JsonFactory.parseObject(
            UpstreamRequests.body(request, route(false, null, null), UpstreamCall.STREAMED_CHAT));
    var messages = sent.getJsonArray("messages");
    assertEquals("plain", messages.getJsonObject(0).getString("content"));
    assertEquals(
        JsonFactory.parseObject(
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is it?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/webp;base64,/wA=\"}}]}"),
        messages.getJsonObject(1));
    // no empty text part before an image sent alone
    assertEquals(1, messages.getJsonObject(2).getJsonArray("content").size());
    assertTrue(messages.getJsonObject(2).toString().contains("data:image/png;base64,AQ=="));
  }
}
