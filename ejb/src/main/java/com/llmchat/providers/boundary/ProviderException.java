package com.llmchat.providers.boundary;

import com.llmchat.platform.boundary.Refusal;
import jakarta.ejb.ApplicationException;

/** A request about providers or models that cannot be honoured, with a stable reason. */
@ApplicationException(rollback = true)
public class ProviderException extends RuntimeException implements Refusal.Refused {

  public enum Reason implements Refusal {
    PROVIDER_NOT_FOUND(404, "provider-not-found"),
    MODEL_NOT_FOUND(404, "model-not-found"),
    UNKNOWN_MODEL(404, "unknown-model"),
    NAME_TAKEN(409, "provider-name-taken"),
    ALIAS_TAKEN(409, "model-alias-taken"),
    REFUSED_ADDRESS(400, "refused-address"),
    KEY_UNREADABLE(409, "api-key-unreadable"),
    PRESET(409, "preset-provider"),
    OWN_PROVIDERS_NOT_ALLOWED(403, "own-providers-not-allowed"),
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

  public ProviderException(Reason reason, String message) {
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
