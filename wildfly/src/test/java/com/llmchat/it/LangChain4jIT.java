package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI module pointed at {@code /v1}, as a Java RAG application would be: a
 * streaming chat model and an embedding model, with a personal API key.
 */
class LangChain4jIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aStreamingChatModelAndAnEmbeddingModelWorkThroughV1() throws Exception {
    String token = TestAccounts.user("langchain4j").accessToken();
    String key = TestKeys.key(token, "{\"name\":\"LangChain4j\"}");
    String embedder =
        SharedModels.add(
            "lc4j-embed", Platform.simulator().baseUrl(), "", ",\"kind\":\"embedding\"");

    var chat =
        OpenAiStreamingChatModel.builder()
            .baseUrl(Platform.APP + "/v1")
            .apiKey(key)
            .modelName("demo")
            .build();
    List<String> partials = new CopyOnWriteArrayList<>();
    var done = new CompletableFuture<ChatResponse>();
    chat.chat(
        "Tell me [sim tokens=7 gap-ms=5]",
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {
            partials.add(partial);
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    ChatResponse response = done.get(60, TimeUnit.SECONDS);
    assertTrue(partials.size() >= 7, partials.toString());
    assertEquals(String.join("", partials), response.aiMessage().text());
    assertEquals(7, response.aiMessage().text().split(" ").length, response.aiMessage().text());

    var embeddings =
        OpenAiEmbeddingModel.builder()
            .baseUrl(Platform.APP + "/v1")
            .apiKey(key)
            .modelName(embedder)
            .build();
    Response<List<Embedding>> vectors =
        embeddings.embedAll(List.of(TextSegment.from("first text"), TextSegment.from("second")));
    assertEquals(2, vectors.content().size());
    assertEquals(8, vectors.content().get(0).dimension());
    assertEquals(
        embeddings.embed("first text").content(),
        vectors.content().get(0),
        "the same text, the same vector");
    assertEquals(
        "3",
        Platform.queryOne(
            "select count(*) from usage_record where api_key_id = ?", TestKeys.keyId(token, key)),
        "the chat and both embedding calls accounted to the key");
  }
}
