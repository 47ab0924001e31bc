package com.llmchat.accounts.boundary;

import jakarta.ejb.ApplicationException;
import java.time.OffsetDateTime;

/** Too many failed logins for this account name or client address: try again after the lock. */
@ApplicationException(rollback = false)
public class LoginLockedException extends RuntimeException {

  private final OffsetDateTime until;

  public LoginLockedException(OffsetDateTime until) {
    super("Too many failed logins; try again after " + until);
    this.until = until;
  }

  public OffsetDateTime until() {
    return until;
  }
}
