package com.llmchat.providers.entity;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * What to ask a model: the messages (system prompt first), the parameters the conversation sets
 * (null: the model's defaults) and the routes to try in order; {@code receivedNanos} is when the
 * caller's request arrived ({@link System#nanoTime}), so that the relay can tell its own share.
 * {@code passThrough}: an application's request as it came ({@code /v1}), sent on with only the
 * model replaced; the messages and parameters are then not used.
 */
public record CompletionRequest(
    String model,
    List<Turn> messages,
    Double temperature,
    Integer maxTokens,
    List<Route> routes,
    long receivedNanos,
    JsonObject passThrough) {

  /**
   * One message of the conversation as the model server sees it; {@code images}: the images
   * attached to a user's message, sent after its text as {@code image_url} parts.
   */
  public record Turn(String role, String content, List<Image> images) {

    public Turn {
      images = List.copyOf(images);
    }

    public Turn(String role, String content) {
      this(role, content, List.of());
    }
  }

  /** An image of a turn: its media type and bytes (not copied: not to be changed). */
  public record Image(String mediaType, byte[] bytes) {

    /** As the OpenAI API takes it: a data URL. */
    public String dataUrl() {
      return "data:" + mediaType + ";base64," + java.util.Base64.getEncoder().encodeToString(bytes);
    }
  }

  public CompletionRequest {
    messages = List.copyOf(messages);
    routes = List.copyOf(routes);
  }

  /** A conversation's request, made of its turns. */
  public CompletionRequest(
      String model,
      List<Turn> messages,
      Double temperature,
      Integer maxTokens,
      List<Route> routes,
      long receivedNanos) {
    this(model, messages, temperature, maxTokens, routes, receivedNanos, null);
  }

  /** An application's request as it came, to the routes of its model. */
  public static CompletionRequest passedThrough(
      String model, JsonObject request, List<Route> routes, long receivedNanos) {
    return new CompletionRequest(model, List.of(), null, null, routes, receivedNanos, request);
  }
}
