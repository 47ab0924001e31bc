package com.llmchat.rest;

import com.llmchat.conversations.entity.Conversation;

/**
 * A conversation as the API shows it. {@code titleSource}: {@code default} (untitled), {@code
 * message} (its first message's beginning, replaced by the model's title after the first reply),
 * {@code model} or {@code user}.
 */
public record ConversationView(
    long id,
    String title,
    String titleSource,
    String model,
    Long presetId,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    String createdAt,
    String updatedAt) {

  static ConversationView of(Conversation conversation) {
    return new ConversationView(
        conversation.id(),
        conversation.title(),
        conversation.titleSource().name().toLowerCase(java.util.Locale.ROOT),
        conversation.model(),
        conversation.presetId(),
        conversation.systemPrompt(),
        conversation.temperature(),
        conversation.maxTokens(),
        conversation.createdAt().toString(),
        conversation.updatedAt().toString());
  }
}
