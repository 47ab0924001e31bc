package com.llmchat.providers.boundary;

import jakarta.ejb.ApplicationException;

/** A request about providers or models that cannot be honoured, with a stable reason. */
@ApplicationException(rollback = true)
public class ProviderException extends RuntimeException {

  public enum Reason {
    PROVIDER_NOT_FOUND,
    MODEL_NOT_FOUND,
    UNKNOWN_MODEL,
    NAME_TAKEN,
    ALIAS_TAKEN,
    REFUSED_ADDRESS,
    KEY_UNREADABLE,
    PRESET,
    INVALID
  }

  private final Reason reason;

  public ProviderException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
