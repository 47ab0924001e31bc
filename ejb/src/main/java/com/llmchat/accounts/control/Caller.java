package com.llmchat.accounts.control;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

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

  /** The edge has read the account in this request and found it enabled. */
  public void identify(String authenticatedUsername, long enabledAccountId) {
    this.username = authenticatedUsername;
    this.accountId = enabledAccountId;
    this.identifiedNanos = System.nanoTime();
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
