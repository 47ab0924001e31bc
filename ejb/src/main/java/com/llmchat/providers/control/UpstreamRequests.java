package com.llmchat.providers.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.UpstreamCall;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The body of a chat completion request to a model server. A conversation's: the route's model, the
 * turns, and the conversation's settings over the model's defaults. An application's ({@code /v1}):
 * its request as it came — tools, response format, message parts, provider extras — with the
 * route's model, the model's defaults where it sets none, and usage asked for when it streams.
 * Embeddings: the application's request with the route's model. Made once per route tried.
 */
public final class UpstreamRequests {

  private UpstreamRequests() {}

  public static String body(CompletionRequest request, Route route, UpstreamCall kind) {
    if (kind == UpstreamCall.EMBEDDINGS) {
      // the input and its options as they came: a chat model's defaults do not apply
      return JsonFactory.object(request.passThrough())
          .add("model", route.upstreamModel())
          .build()
          .toString();
    }
    boolean stream = kind.streamed();
    if (request.passThrough() != null) {
      return passedThrough(request.passThrough(), route, stream);
    }
    JsonArrayBuilder messages = JsonFactory.array();
    request.messages().forEach(turn -> messages.add(message(turn)));
    JsonObjectBuilder body =
        JsonFactory.object()
            .add("model", route.upstreamModel())
            .add("stream", stream)
            .add("messages", messages);
    if (stream && route.includeUsage()) {
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

  /** A turn as a message: its text, or with images its text and image parts. */
  private static JsonObjectBuilder message(CompletionRequest.Turn turn) {
    JsonObjectBuilder message = JsonFactory.object().add("role", turn.role());
    if (turn.images().isEmpty()) {
      return message.add("content", turn.content());
    }
    JsonArrayBuilder parts = JsonFactory.array();
    if (!turn.content().isEmpty()) {
      parts.add(JsonFactory.object().add("type", "text").add("text", turn.content()));
    }
    for (CompletionRequest.Image image : turn.images()) {
      parts.add(
          JsonFactory.object()
              .add("type", "image_url")
              .add("image_url", JsonFactory.object().add("url", image.dataUrl())));
    }
    return message.add("content", parts);
  }

  private static String passedThrough(JsonObject request, Route route, boolean stream) {
    JsonObjectBuilder body = JsonFactory.object(request).add("model", route.upstreamModel());
    if (stream && route.includeUsage() && !asksForUsage(request)) {
      // the ledger needs the upstream's counts; the relay drops the extra chunk (UsageOnlyChunks)
      JsonObject options =
          request.get("stream_options") instanceof JsonObject given
              ? given
              : JsonValue.EMPTY_JSON_OBJECT;
      body.add("stream_options", JsonFactory.object(options).add("include_usage", true));
    }
    if (!request.containsKey("temperature") && route.temperature() != null) {
      body.add("temperature", route.temperature());
    }
    if (!request.containsKey("max_tokens")
        && !request.containsKey("max_completion_tokens")
        && route.maxTokens() != null) {
      body.add("max_tokens", route.maxTokens());
    }
    return body.build().toString();
  }

  /** Whether an application's streamed request asks for usage itself. */
  public static boolean asksForUsage(JsonObject request) {
    return request.get("stream_options") instanceof JsonObject options
        && options.get("include_usage") == JsonValue.TRUE;
  }
}
