package com.llmchat.conversations.control;

import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.providers.entity.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model is asked: the conversation's system prompt, the current messages before the
 * question, and the question last, cut to the model's context window (the oldest turns go first).
 */
public final class Prompts {

  private Prompts() {}

  /**
   * {@code history}: the conversation's messages in order, as read before the question was stored
   * (superseded ones and those at or after the question's position are left out); {@code
   * answering}: the route whose model sets the window, the one that answers unless it is down.
   */
  public static List<Turn> of(
      Conversation conversation, List<Message> history, Message question, Route answering) {
    List<Turn> turns = new ArrayList<>();
    if (conversation.systemPrompt() != null) {
      turns.add(new Turn("system", conversation.systemPrompt()));
    }
    for (Message message : history) {
      if (message.position() >= question.position()) {
        break;
      }
      if (message.superseded()) {
        continue;
      }
      if (message.role() == Message.Role.USER) {
        turns.add(new Turn("user", message.content()));
      } else if (!message.content().isEmpty()) {
        turns.add(new Turn("assistant", message.content()));
      }
    }
    turns.add(new Turn("user", question.content()));
    return ContextWindow.fit(
        turns,
        answering.contextLimit(),
        conversation.maxTokens() != null ? conversation.maxTokens() : answering.maxTokens());
  }
}
