package com.llmchat.presets.boundary;

import com.llmchat.platform.boundary.Refusal;
import jakarta.ejb.ApplicationException;

/** A request about presets that cannot be honoured, with a stable reason. */
@ApplicationException(rollback = true)
public class PresetException extends RuntimeException implements Refusal.Refused {

  public enum Reason implements Refusal {
    PRESET_NOT_FOUND(404, "preset-not-found"),
    NAME_TAKEN(409, "preset-name-taken"),
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

  public PresetException(Reason reason, String message) {
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
