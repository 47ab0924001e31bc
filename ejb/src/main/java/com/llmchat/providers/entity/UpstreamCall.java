package com.llmchat.providers.entity;

/** What is asked of a model server: a chat completion streamed or whole, or embeddings. */
public enum UpstreamCall {
  STREAMED_CHAT,
  WHOLE_CHAT,
  EMBEDDINGS;

  public boolean streamed() {
    return this == STREAMED_CHAT;
  }
}
