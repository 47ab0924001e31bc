package com.llmchat.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The simulated answer to one chat completion request, as SSE frames or as one JSON body. */
record Answer(JsonObject request, Knobs knobs, String id) {

  private static final String[] WORDS =
      ("This is a simulated answer from the LLM Chat model simulator. It streams words at the pace"
              + " its knobs set, so that you can watch tokens arrive one by one and measure what the"
              + " relay adds to the latency of the model server.")
          .split(" ");

  /** The content pieces, one per token. */
  List<String> pieces() {
    List<String> pieces = new ArrayList<>();
    if (knobs.reply() != null) {
      String reply = knobs.reply();
      int size =
          Math.max(1, (int) Math.ceil(reply.length() / (double) Math.max(1, knobs.tokens())));
      for (int i = 0; i < reply.length(); i += size) {
        pieces.add(reply.substring(i, Math.min(reply.length(), i + size)));
      }
      return pieces;
    }
    int limit =
        request.getInteger(
            "max_tokens", request.getInteger("max_completion_tokens", Integer.MAX_VALUE));
    for (int i = 0; i < Math.min(knobs.tokens(), limit); i++) {
      String word = (i == 0 ? "" : " ") + WORDS[i % WORDS.length];
      // piece-chars: pieces of that size (the word repeated), for floods of bytes
      pieces.add(knobs.pieceChars() > 0 ? repeatTo(word, knobs.pieceChars()) : word);
    }
    return pieces;
  }

  private static String repeatTo(String word, int chars) {
    StringBuilder piece = new StringBuilder(chars);
    while (piece.length() < chars) {
      piece.append(word);
    }
    piece.setLength(chars);
    return piece.toString();
  }

  private String finishReason(int produced) {
    int limit =
        request.getInteger(
            "max_tokens", request.getInteger("max_completion_tokens", Integer.MAX_VALUE));
    return knobs.reply() == null && produced < knobs.tokens() && produced >= limit
        ? "length"
        : "stop";
  }

  private long promptTokens() {
    long words = 0;
    for (Object message : request.getJsonArray("messages", new JsonArray())) {
      if (message instanceof JsonObject m && m.getValue("content") instanceof String text) {
        words += Knobs.withoutDirective(text).split("\\s+").length;
      }
    }
    return words;
  }

  private JsonObject usage(int completionTokens) {
    long prompt = promptTokens();
    JsonObject usage =
        new JsonObject()
            .put("prompt_tokens", prompt)
            .put("completion_tokens", completionTokens)
            .put("total_tokens", prompt + completionTokens);
    if (knobs.reasoningTokens() > 0) {
      // as reasoning models report it (OpenAI o-series, DeepSeek-R1 through vLLM)
      usage.put(
          "completion_tokens_details",
          new JsonObject().put("reasoning_tokens", knobs.reasoningTokens()));
    }
    return usage;
  }

  private boolean includeUsage() {
    if (knobs.usage() != null) {
      return knobs.usage();
    }
    JsonObject streamOptions = request.getJsonObject("stream_options");
    return streamOptions != null && streamOptions.getBoolean("include_usage", false);
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.getString("model"))
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .put("finish_reason", finishReason)));
  }

  /** Every frame of the stream: role, reasoning, content, finish, optional usage, [DONE]. */
  List<String> frames() {
    List<String> frames = new ArrayList<>();
    List<String> pieces = pieces();
    frames.add(frame(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
    for (int i = 0; i < knobs.reasoningTokens(); i++) {
      frames.add(
          frame(
              chunk(
                  new JsonObject().put("reasoning_content", (i == 0 ? "" : " ") + "thinking" + i),
                  null)));
    }
    for (String piece : pieces) {
      frames.add(frame(chunk(new JsonObject().put("content", piece), null)));
    }
    frames.add(frame(chunk(new JsonObject(), finishReason(pieces.size()))));
    if (includeUsage()) {
      frames.add(
          frame(
              new JsonObject()
                  .put("id", id)
                  .put("object", "chat.completion.chunk")
                  .put("created", System.currentTimeMillis() / 1000)
                  .put("model", request.getString("model"))
                  .put("choices", new JsonArray())
                  .put("usage", usage(pieces.size() + knobs.reasoningTokens()))));
    }
    frames.add("data: [DONE]\n\n");
    return frames;
  }

  JsonObject whole() {
    List<String> pieces = pieces();
    JsonObject message =
        new JsonObject().put("role", "assistant").put("content", String.join("", pieces));
    if (knobs.reasoningTokens() > 0) {
      StringBuilder reasoning = new StringBuilder();
      for (int i = 0; i < knobs.reasoningTokens(); i++) {
        reasoning.append(i == 0 ? "" : " ").append("thinking").append(i);
      }
      message.put("reasoning_content", reasoning.toString());
    }
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.getString("model"))
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("message", message)
                        .put("finish_reason", finishReason(pieces.size()))))
        .put("usage", usage(pieces.size() + knobs.reasoningTokens()));
  }

  private static String frame(JsonObject payload) {
    return "data: " + payload.encode() + "\n\n";
  }
}
