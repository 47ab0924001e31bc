package com.llmchat.web;

import jakarta.security.enterprise.credential.Credential;
import java.util.Set;

/**
 * A login the server itself has verified (an OpenID Connect provider's ID token, checked): made
 * only by {@link OidcServlet}, never from what a request carries, so the identity store takes it as
 * it is.
 */
final class VerifiedLogin implements Credential {

  private final String username;
  private final Set<String> roles;

  VerifiedLogin(String username, Set<String> roles) {
    this.username = username;
    this.roles = Set.copyOf(roles);
  }

  String username() {
    return username;
  }

  Set<String> roles() {
    return roles;
  }
}
