package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.StreamEvent;
import java.util.List;

/**
 * One question and its reply, as prepared before the model is called: both messages are stored, the
 * reply streaming, and the estimated tokens of the prompt (for the ledger when the model server
 * reports none), what the budgets hold for it, or why they refused it. A resend of a question
 * answered already is a replay: nothing is called and nothing reserved. {@code awaitsTitle}: the
 * conversation's title is still its first message's, for the model to replace after this reply.
 */
public record Exchange(
    long accountId,
    String username,
    long conversationId,
    Message question,
    Message reply,
    CompletionRequest request,
    int promptTokens,
    boolean replay,
    Long reservationId,
    StreamEvent.Error refused,
    boolean awaitsTitle) {

  /** A question stored with its streaming reply, and what the model is asked for it. */
  static Exchange asked(
      Callers.Identity account,
      Conversation conversation,
      Message question,
      Message reply,
      CompletionRequest request,
      int promptTokens) {
    return of(account, conversation, question, reply, request, promptTokens, false, null, null);
  }

  /** The same with what was reserved for it in the budgets that apply (null: none applies). */
  Exchange reserved(Long reservation) {
    return with(reservation, null);
  }

  /**
   * The same refused before any model call (a budget or rate limit has no room): the reply is
   * stored failed with {@code why}, which the stream shows.
   */
  Exchange refusedWith(StreamEvent.Error why) {
    return with(null, why);
  }

  private Exchange with(Long reservation, StreamEvent.Error why) {
    return new Exchange(
        accountId,
        username,
        conversationId,
        question,
        reply,
        request,
        promptTokens,
        replay,
        reservation,
        why,
        awaitsTitle);
  }

  /** A resend of a question answered already: the stored reply, and no model call. */
  static Exchange replay(
      Callers.Identity account, Conversation conversation, Message question, Message reply) {
    var none = new CompletionRequest(conversation.model(), List.of(), null, null, List.of(), 0);
    return of(account, conversation, question, reply, none, 0, true, null, null);
  }

  private static Exchange of(
      Callers.Identity account,
      Conversation conversation,
      Message question,
      Message reply,
      CompletionRequest request,
      int promptTokens,
      boolean replay,
      Long reservationId,
      StreamEvent.Error refused) {
    return new Exchange(
        account.accountId(),
        account.username(),
        conversation.id(),
        question,
        reply,
        request,
        promptTokens,
        replay,
        reservationId,
        refused,
        !replay && conversation.awaitsModelTitle());
  }

  @Override
  public String toString() {
    return "Exchange[conversation " + conversationId + ", reply " + reply.id() + "]";
  }
}
