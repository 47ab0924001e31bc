package com.llmchat.providers.entity;

/** What a model server's token stream says, in the order it says it. */
public sealed interface StreamEvent {

  /** A piece of the answer or of the model's visible reasoning; either may be null. */
  record Delta(String content, String reasoning) implements StreamEvent {}

  record Usage(long promptTokens, long completionTokens, long totalTokens) implements StreamEvent {}

  /** The upstream reported the end of the choice; null when it never says why. */
  record Finish(String reason) implements StreamEvent {}

  /** An error reported inside the stream ({"error":...} payload or an error event). */
  record Error(String message, String code) implements StreamEvent {}

  /** The upstream's explicit end marker ({@code data: [DONE]}). */
  record Done() implements StreamEvent {}
}
