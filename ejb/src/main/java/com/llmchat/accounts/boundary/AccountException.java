package com.llmchat.accounts.boundary;

import com.llmchat.platform.boundary.Refusal;
import jakarta.ejb.ApplicationException;

/** A request about accounts that cannot be honoured, with a stable reason for clients. */
@ApplicationException(rollback = true)
public class AccountException extends RuntimeException implements Refusal.Refused {

  public enum Reason implements Refusal {
    REGISTRATION_CLOSED(403, "registration-closed"),
    USERNAME_TAKEN(409, "username-taken"),
    WEAK_PASSWORD(400, "weak-password"),
    WRONG_PASSWORD(400, "wrong-password"),
    NOT_FOUND(404, "account-not-found"),
    LAST_ADMIN(409, "last-admin"),
    OWN_ACCOUNT(409, "own-account"),
    INVALID(400, "invalid-request"),
    API_KEY_NOT_FOUND(404, "api-key-not-found"),
    TOO_MANY_API_KEYS(409, "too-many-api-keys"),
    GROUP_NOT_FOUND(404, "group-not-found"),
    GROUP_NAME_TAKEN(409, "group-name-taken"),
    DEFAULT_GROUP(409, "default-group"),
    MANAGED_ELSEWHERE(409, "managed-by-directory"),
    DIRECTORY_NOT_FOUND(404, "directory-not-found"),
    DIRECTORY_NAME_TAKEN(409, "directory-name-taken"),
    MAPPING_NOT_FOUND(404, "mapping-not-found"),
    IDENTITY_PROVIDER_NOT_FOUND(404, "identity-provider-not-found"),
    IDENTITY_PROVIDER_NAME_TAKEN(409, "identity-provider-name-taken");

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

  public AccountException(Reason reason, String message) {
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
