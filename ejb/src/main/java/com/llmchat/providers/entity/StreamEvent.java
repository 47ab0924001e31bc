package com.llmchat.providers.entity;

/** What a model server's token stream says, in the order it says it. */
public sealed interface StreamEvent {

  /** A piece of the answer or of the model's visible reasoning; either may be null. */
  record Delta(String content, String reasoning) implements StreamEvent {}

  /**
   * Token counts as the upstream reported them; {@code reasoningTokens} its {@code
   * completion_tokens_details.reasoning_tokens} (null when not reported); {@code json} its whole
   * usage object as JSON text, read once here and passed on as it is.
   */
  record Usage(
      long promptTokens, long completionTokens, long totalTokens, Long reasoningTokens, String json)
      implements StreamEvent {
    public Usage(long promptTokens, long completionTokens, long totalTokens, String json) {
      this(promptTokens, completionTokens, totalTokens, null, json);
    }
  }

  /**
   * A piece of a tool call: the call at {@code index} gets the id, type and name when they first
   * come, and the arguments fragment appended.
   */
  record ToolCallDelta(int index, String id, String type, String name, String arguments)
      implements StreamEvent {}

  /** The upstream reported the end of the choice; null when it never says why. */
  record Finish(String reason) implements StreamEvent {}

  /**
   * An error reported inside the stream ({"error":...} payload or an error event), or met while
   * reading it; {@code json} is the upstream's error object when there is one.
   */
  /**
   * A failure: the model server's (its JSON error object as it came, when it sent one) or ours;
   * {@code resetsAt} when a budget or rate limit refused the call, and until when.
   */
  record Error(String message, String code, String json, java.time.Instant resetsAt)
      implements StreamEvent {
    public Error(String message, String code, String json) {
      this(message, code, json, null);
    }

    public Error(String message, String code) {
      this(message, code, null, null);
    }

    public Error(String message, String code, java.time.Instant resetsAt) {
      this(message, code, null, resetsAt);
    }
  }

  /** The upstream's explicit end marker ({@code data: [DONE]}). */
  record Done() implements StreamEvent {}
}
