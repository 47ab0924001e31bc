package com.llmchat.accounts.control;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling in the current request, as the protocol edge authenticated them: the REST API from
 * the verified access token, the web UI from its login session. Only the name is taken from there;
 * what the account may do is read from the database (see {@link Callers}), once per request.
 */
@RequestScoped
public class Caller {

  private String username;
  private Long accountId;
  private long identifiedNanos;
  private Long keyId;
  private Set<String> keyModels = Set.of();

  /** The edge has read the account in this request and found it enabled. */
  public void identify(String authenticatedUsername, long enabledAccountId) {
    this.username = authenticatedUsername;
    this.accountId = enabledAccountId;
    this.identifiedNanos = System.nanoTime();
  }

  /**
   * The edge has found a valid API key of an enabled account: the caller acts as its owner, on the
   * models the key allows ({@code models} empty: every model of the owner's).
   */
  public void identifyByKey(
      String ownerUsername, long enabledAccountId, long keyId, Set<String> models) {
    identify(ownerUsername, enabledAccountId);
    this.keyId = keyId;
    this.keyModels = Set.copyOf(models);
  }

  /** The API key the caller presented, if the call came with one. */
  public Optional<Long> keyId() {
    return Optional.ofNullable(keyId);
  }

  /** Whether the call may use a model: always without a key, else as the key allows. */
  public boolean keyAllows(String model) {
    return keyId == null || keyModels.isEmpty() || keyModels.contains(model);
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The account the edge read and checked in this request, if it did. */
  Optional<Long> accountId() {
    return Optional.ofNullable(accountId);
  }

  /** When the edge identified the caller ({@link System#nanoTime}), the request's start for us. */
  long identifiedNanos() {
    return identifiedNanos;
  }
}
