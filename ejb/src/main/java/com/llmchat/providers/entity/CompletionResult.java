package com.llmchat.providers.entity;

import com.llmchat.providers.control.CompletionAssembly;

/**
 * How a streamed completion ended: what arrived, which route answered, and the time to its first
 * token and in all.
 */
public record CompletionResult(
    Outcome outcome,
    CompletionAssembly assembly,
    Route route,
    long firstTokenNanos,
    long durationNanos) {

  /** Completed: the upstream finished. Failed: it broke or refused. Cancelled: stop or hang-up. */
  public enum Outcome {
    COMPLETED,
    FAILED,
    CANCELLED
  }

  public boolean hasFirstToken() {
    return firstTokenNanos >= 0;
  }
}
