package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.entity.CompletionRequest;
import java.util.List;

/**
 * One question and its reply, as prepared before the model is called: both messages are stored, the
 * reply streaming, and the estimated tokens of the prompt (for the ledger when the model server
 * reports none). A resend of a question already answered is a replay: nothing is called.
 */
public record Exchange(
    long accountId,
    String username,
    long conversationId,
    Message question,
    Message reply,
    CompletionRequest request,
    int promptTokens,
    boolean replay) {

  /** A question stored with its streaming reply, and what the model is asked for it. */
  static Exchange asked(
      Callers.Identity account,
      Conversation conversation,
      Message question,
      Message reply,
      CompletionRequest request,
      int promptTokens) {
    return of(account, conversation, question, reply, request, promptTokens, false);
  }

  /** A resend of a question answered already: the stored reply, and no model call. */
  static Exchange replay(
      Callers.Identity account, Conversation conversation, Message question, Message reply) {
    var none = new CompletionRequest(conversation.model(), List.of(), null, null, List.of(), 0);
    return of(account, conversation, question, reply, none, 0, true);
  }

  private static Exchange of(
      Callers.Identity account,
      Conversation conversation,
      Message question,
      Message reply,
      CompletionRequest request,
      int promptTokens,
      boolean replay) {
    return new Exchange(
        account.accountId(),
        account.username(),
        conversation.id(),
        question,
        reply,
        request,
        promptTokens,
        replay);
  }

  @Override
  public String toString() {
    return "Exchange[conversation " + conversationId + ", reply " + reply.id() + "]";
  }
}
