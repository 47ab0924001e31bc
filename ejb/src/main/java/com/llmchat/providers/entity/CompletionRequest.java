package com.llmchat.providers.entity;

import java.util.List;

/**
 * What to ask a model: the messages (system prompt first), the parameters the conversation sets
 * (null: the model's defaults) and the routes to try in order; {@code receivedNanos} is when the
 * caller's request arrived ({@link System#nanoTime}), so that the relay can tell its own share.
 */
public record CompletionRequest(
    String model,
    List<Turn> messages,
    Double temperature,
    Integer maxTokens,
    List<Route> routes,
    long receivedNanos) {

  /** One message of the conversation as the model server sees it. */
  public record Turn(String role, String content) {}

  public CompletionRequest {
    messages = List.copyOf(messages);
    routes = List.copyOf(routes);
  }
}
