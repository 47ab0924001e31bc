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
    NOT_RESUMABLE(409, "reply-not-resumable"),
    INVALID(400, "invalid-request"),
    ATTACHMENT_NOT_FOUND(404, "attachment-not-found"),
    ATTACHMENT_SENT(409, "attachment-sent"),
    TOO_MANY_FILES(409, "too-many-files"),
    FILE_TOO_LARGE(413, "file-too-large"),
    TOO_LARGE_FOR_MODEL(413, "too-large-for-model"),
    FILE_UNSUPPORTED(415, "file-unsupported"),
    FILE_UNREADABLE(422, "file-unreadable"),
    IMAGES_NOT_TAKEN(422, "images-not-taken");

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
