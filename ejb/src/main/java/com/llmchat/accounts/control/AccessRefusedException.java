package com.llmchat.accounts.control;

import jakarta.ejb.ApplicationException;

/**
 * The caller has no enabled account, or lacks the role the action needs (checked in the database).
 */
@ApplicationException(rollback = true)
public class AccessRefusedException extends RuntimeException {

  private final boolean authenticated;

  public AccessRefusedException(boolean authenticated, String message) {
    super(message);
    this.authenticated = authenticated;
  }

  /** False: nobody (enabled) is calling; true: someone is, without the right role. */
  public boolean authenticated() {
    return authenticated;
  }
}
