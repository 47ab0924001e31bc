package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK against {@code /v1}, as an application would use it: base URL and a
 * personal API key, nothing else. Every call is accounted to the key in the usage ledger.
 */
class OpenAiSdkIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  /** An SDK client for the key; no retries of its own, so that what it gets is what we answer. */
  private static OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(Platform.APP + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams.Builder ask(String model, String message) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(message);
  }

  /** The ledger rows of a key: count, sources and outcomes. */
  private static String ledger(long keyId) throws Exception {
    return Platform.queryOne(
        "select count(*) || ' ' || string_agg(distinct source, ',') || ' '"
            + " || string_agg(distinct outcome, ',') || ' ' || count(conversation_id)"
            + " from usage_record where api_key_id = ?",
        keyId);
  }

  @Test
  void listsModelsAndAnswersWholeAccountedToTheKey() throws Exception {
    String token = TestAccounts.user("sdk-whole").accessToken();
    String key = TestKeys.key(token, "{\"name\":\"SDK\"}");
    OpenAIClient client = client(key);

    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertTrue(ids.contains("demo"), ids.toString());

    ChatCompletion answer =
        client.chat().completions().create(ask("demo", "Hi [sim tokens=6]").build());
    String content = answer.choices().get(0).message().content().orElse("");
    assertEquals(6, content.split(" ").length, content);
    assertTrue(answer.usage().orElseThrow().completionTokens() == 6, answer.toString());
    long keyId = TestKeys.keyId(token, key);
    assertEquals("1 UPSTREAM COMPLETED 0", ledger(keyId));
    // the owner's usage tells the key's calls apart from the chat's
    var usage = Json.array(Api.get("v1/users/me/usage", token).body());
    assertEquals(1, usage.size(), usage.toString());
    assertEquals(keyId, usage.getJsonObject(0).getJsonNumber("apiKeyId").longValue());
    assertEquals(1, usage.getJsonObject(0).getInt("requests"));
    // and the key lists say what each key used
    var listed = Json.array(Api.get("v1/keys", token).body()).getJsonObject(0);
    assertEquals(1, listed.getJsonObject("last30Days").getInt("requests"), listed.toString());
    assertEquals(
        usage.getJsonObject(0).getJsonNumber("completionTokens").longValue(),
        listed.getJsonObject("last30Days").getJsonNumber("completionTokens").longValue());
  }

  @Test
  void streamsWithUsageOnlyWhenAskedYetAlwaysAccountsTheUpstreamsCounts() throws Exception {
    String token = TestAccounts.user("sdk-stream").accessToken();
    String key = TestKeys.key(token, "{\"name\":\"Streaming\"}");
    OpenAIClient client = client(key);

    var withUsage =
        ask("demo", "Stream [sim tokens=8 gap-ms=5]")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(withUsage)) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder content = new StringBuilder();
    chunks.forEach(
        chunk ->
            chunk.choices().forEach(choice -> choice.delta().content().ifPresent(content::append)));
    assertEquals(8, content.toString().split(" ").length, content.toString());
    List<ChatCompletionChunk> usage = chunks.stream().filter(c -> c.usage().isPresent()).toList();
    assertEquals(1, usage.size(), chunks.toString());
    assertEquals(8, usage.get(0).usage().orElseThrow().completionTokens());

    var withoutUsage = ask("demo", "Stream [sim tokens=5 gap-ms=5]").build();
    List<ChatCompletionChunk> plain = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(withoutUsage)) {
      stream.stream().forEach(plain::add);
    }
    assertFalse(plain.isEmpty());
    assertTrue(plain.stream().noneMatch(c -> c.usage().isPresent()), plain.toString());
    // asked of the model server on the application's behalf, for the ledger
    assertEquals(
        true,
        Platform.simulator()
            .lastCompletion()
            .getJsonObject("stream_options")
            .getBoolean("include_usage"));
    assertEquals("2 UPSTREAM COMPLETED 0", ledger(TestKeys.keyId(token, key)));
  }

  @Test
  void aToolCallGoesRoundTripWholeAndStreamed() throws Exception {
    OpenAIClient client =
        client(TestKeys.key(TestAccounts.user("sdk-tools").accessToken(), "{\"name\":\"Tools\"}"));
    var lookup =
        FunctionDefinition.builder()
            .name("lookup")
            .description("Looks a word up")
            .parameters(
                FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty(
                        "properties", JsonValue.from(Map.of("input", Map.of("type", "string"))))
                    .build())
            .build();

    ChatCompletion first =
        client
            .chat()
            .completions()
            .create(ask("demo", "Weather in Paris").addFunctionTool(lookup).build());
    assertEquals("tool_calls", first.choices().get(0).finishReason().asString());
    ChatCompletionMessageFunctionToolCall call =
        first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertEquals("lookup", call.function().name());
    assertEquals("{\"input\":\"Weather in Paris\"}", call.function().arguments());

    var answered =
        ask("demo", "Weather in Paris")
            .addFunctionTool(lookup)
            .addMessage(first.choices().get(0).message())
            .addMessage(
                ChatCompletionToolMessageParam.builder()
                    .toolCallId(call.id())
                    .content("sunny, 21 degrees")
                    .build());
    ChatCompletion second = client.chat().completions().create(answered.build());
    assertEquals(
        "The tool said: sunny, 21 degrees", second.choices().get(0).message().content().orElse(""));

    // the same round trip streamed: the call's pieces put together by the SDK
    var accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(ask("demo", "Weather in Paris").addFunctionTool(lookup).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletionMessageFunctionToolCall streamed =
        accumulator
            .chatCompletion()
            .choices()
            .get(0)
            .message()
            .toolCalls()
            .orElseThrow()
            .get(0)
            .asFunction();
    assertEquals("lookup", streamed.function().name());
    assertEquals("{\"input\":\"Weather in Paris\"}", streamed.function().arguments());
  }

  @Test
  void errorsAreTheSdksOwnTypes() throws Exception {
    var unauthorized =
        assertThrows(
            UnauthorizedException.class,
            () -> client("sk-llmchat-" + "0".repeat(43)).models().list());
    assertEquals(401, unauthorized.statusCode());
    assertEquals("invalid_api_key", unauthorized.code().orElse(""));

    OpenAIClient client =
        client(
            TestKeys.key(TestAccounts.user("sdk-errors").accessToken(), "{\"name\":\"Errors\"}"));
    var unknown =
        assertThrows(
            NotFoundException.class,
            () -> client.chat().completions().create(ask("no-such-model", "Hi").build()));
    assertEquals("model_not_found", unknown.code().orElse(""));

    // the model server answers 429 to every attempt: after our retries, the application gets it
    var limited =
        assertThrows(
            RateLimitException.class,
            () ->
                client
                    .chat()
                    .completions()
                    .create(ask("demo", "Busy [sim fault=http-429]").build()));
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limit_error", limited.type().orElse(""));
  }

  @Test
  void embeddingsComeFromModelsMarkedAsEmbeddingModels() throws Exception {
    String token = TestAccounts.user("sdk-embeddings").accessToken();
    String key = TestKeys.key(token, "{\"name\":\"RAG\"}");
    OpenAIClient client = client(key);
    String embedder =
        SharedModels.add("embed", Platform.simulator().baseUrl(), "", ",\"kind\":\"embedding\"");

    CreateEmbeddingResponse one =
        client
            .embeddings()
            .create(EmbeddingCreateParams.builder().model(embedder).input("hello world").build());
    assertEquals(1, one.data().size());
    assertEquals(8, one.data().get(0).embedding().size(), "as the model server sent it");
    CreateEmbeddingResponse three =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(embedder)
                    .inputOfArrayOfStrings(List.of("a b", "hello world", "c"))
                    .dimensions(4)
                    .build());
    assertEquals(3, three.data().size());
    assertEquals(4, three.data().get(2).embedding().size());
    assertEquals(
        "2 UPSTREAM COMPLETED 0", ledger(TestKeys.keyId(token, key)), "each call accounted");
    assertEquals(
        "7",
        Platform.queryOne(
            "select sum(prompt_tokens) from usage_record where api_key_id = ?",
            TestKeys.keyId(token, key)),
        "the model server's counts: 2 words, then 2 + 2 + 1");

    // each model where it works
    var chatForEmbeddings =
        assertThrows(
            BadRequestException.class,
            () ->
                client
                    .embeddings()
                    .create(EmbeddingCreateParams.builder().model("demo").input("x").build()));
    assertEquals("model", chatForEmbeddings.param().orElse(""));
    assertThrows(
        BadRequestException.class,
        () -> client.chat().completions().create(ask(embedder, "Hi").build()));
    assertTrue(
        client.models().list().data().stream().anyMatch(m -> m.id().equals(embedder)),
        "applications see embedding models");
    assertFalse(
        Api.get("v1/models", token).body().contains(embedder), "the chat does not offer them");
  }
}
