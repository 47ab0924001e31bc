package com.llmchat.accounts.control;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * Who is calling in the current request, as the protocol edge authenticated them: the REST API from
 * the verified access token, the web UI from its login session. Only the name is taken from there;
 * what the account may do is read from the database (see {@link Callers}).
 */
@RequestScoped
public class Caller {

  private String username;

  public void identify(String authenticatedUsername) {
    this.username = authenticatedUsername;
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }
}
