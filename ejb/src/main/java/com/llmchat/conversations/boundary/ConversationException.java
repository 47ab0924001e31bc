package com.llmchat.conversations.boundary;

import jakarta.ejb.ApplicationException;

/** A request about conversations that cannot be honoured, with a stable reason. */
@ApplicationException(rollback = true)
public class ConversationException extends RuntimeException {

  public enum Reason {
    CONVERSATION_NOT_FOUND,
    MESSAGE_NOT_FOUND,
    REPLY_IN_PROGRESS,
    NOT_REGENERABLE,
    NOT_EDITABLE,
    INVALID
  }

  private final Reason reason;

  public ConversationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
