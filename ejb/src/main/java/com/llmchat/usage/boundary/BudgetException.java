package com.llmchat.usage.boundary;

import com.llmchat.platform.boundary.Refusal;
import jakarta.ejb.ApplicationException;

/** A request about budgets and rate limits that cannot be honoured, with a stable reason. */
@ApplicationException(rollback = true)
public class BudgetException extends RuntimeException implements Refusal.Refused {

  private static final long serialVersionUID = 1L;

  public enum Reason implements Refusal {
    NOT_FOUND(404, "budget-not-found"),
    HOLDER_NOT_FOUND(404, "budget-holder-not-found"),
    EXISTS(409, "budget-exists"),
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

  public BudgetException(Reason reason, String message) {
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
