package com.llmchat.rest;

import com.llmchat.conversations.entity.Conversation;

/** A conversation as the API shows it. */
public record ConversationView(
    long id,
    String title,
    String model,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    String createdAt,
    String updatedAt) {

  static ConversationView of(Conversation conversation) {
    return new ConversationView(
        conversation.id(),
        conversation.title(),
        conversation.model(),
        conversation.systemPrompt(),
        conversation.temperature(),
        conversation.maxTokens(),
        conversation.createdAt().toString(),
        conversation.updatedAt().toString());
  }
}
