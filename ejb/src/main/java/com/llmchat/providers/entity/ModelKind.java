package com.llmchat.providers.entity;

import java.util.Locale;

/**
 * What a model does: chat (conversations, {@code /v1/chat/completions}) or embedding ({@code
 * /v1/embeddings}, for applications' retrieval). Each is offered only where it works.
 */
public enum ModelKind {
  CHAT,
  EMBEDDING;

  /** {@code chat} or {@code embedding}, in any case. */
  public static ModelKind parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "A model's kind is chat or embedding (got '" + text + "')");
    }
  }

  /** As the API writes it. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
