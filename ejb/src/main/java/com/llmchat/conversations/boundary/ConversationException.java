package com.llmchat.conversations.boundary;

import com.llmchat.platform.boundary.Refusal;
import jakarta.ejb.ApplicationException;

/** A request about conversations that cannot be honoured, with a stable reason. */
@ApplicationException(rollback = true)
public class ConversationException extends RuntimeException implements Refusal.Refused {

  public enum Reason implements Refusal {
    CONVERSATION_NOT_FOUND(404, "conversation-not-found"),
    MESSAGE_NOT_FOUND(404, "message-not-found"),
    REPLY_IN_PROGRESS(409, "reply-in-progress"),
    NOT_REGENERABLE(409, "not-regenerable"),
    NOT_EDITABLE(409, "not-editable"),
    INVALID(400, "invalid-request");

    private final int status;
    private final String problemType;

    Reason(int status, String problemType) {
      this.status = status;
      this.problemType = problemType;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public String problemType() {
      return problemType;
    }
  }

  private final Reason reason;

  public ConversationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public Refusal refusal() {
    return reason;
  }
}
