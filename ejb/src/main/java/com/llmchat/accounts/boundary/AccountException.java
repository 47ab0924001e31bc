package com.llmchat.accounts.boundary;

import jakarta.ejb.ApplicationException;

/** A request about accounts that cannot be honoured, with a stable reason for clients. */
@ApplicationException(rollback = true)
public class AccountException extends RuntimeException {

  public enum Reason {
    REGISTRATION_CLOSED,
    USERNAME_TAKEN,
    WEAK_PASSWORD,
    WRONG_PASSWORD,
    NOT_FOUND,
    LAST_ADMIN,
    OWN_ACCOUNT,
    INVALID
  }

  private final Reason reason;

  public AccountException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
