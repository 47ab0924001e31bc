package com.llmchat.providers.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.Route;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * The body of a chat completion request to a model server: the route's model, the turns, and the
 * conversation's settings over the model's defaults. Made once per route tried.
 */
public final class UpstreamRequests {

  private UpstreamRequests() {}

  public static String body(CompletionRequest request, Route route) {
    JsonArrayBuilder messages = JsonFactory.array();
    request
        .messages()
        .forEach(
            turn ->
                messages.add(
                    JsonFactory.object().add("role", turn.role()).add("content", turn.content())));
    JsonObjectBuilder body =
        JsonFactory.object()
            .add("model", route.upstreamModel())
            .add("stream", true)
            .add("messages", messages);
    if (route.includeUsage()) {
      body.add("stream_options", JsonFactory.object().add("include_usage", true));
    }
    Double temperature =
        request.temperature() != null ? request.temperature() : route.temperature();
    if (temperature != null) {
      body.add("temperature", temperature);
    }
    Integer maxTokens = request.maxTokens() != null ? request.maxTokens() : route.maxTokens();
    if (maxTokens != null) {
      body.add("max_tokens", maxTokens);
    }
    return body.build().toString();
  }
}
