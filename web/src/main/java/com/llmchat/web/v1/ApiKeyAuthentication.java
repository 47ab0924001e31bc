package com.llmchat.web.v1;

import com.llmchat.accounts.boundary.ApiKeys;
import com.llmchat.accounts.control.Caller;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * The one way in to {@code /v1}: a personal API key as {@code Authorization: Bearer <key>} (what
 * the OpenAI SDKs send) or {@code x-api-key: <key>} (what some other clients send) — both through
 * the same check, every request: the key exists, is neither revoked nor expired, and its owner is
 * enabled. The caller then acts as the key's owner, on the models the key allows.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyAuthentication implements ContainerRequestFilter {

  private static final String BEARER = "Bearer ";

  @Inject ApiKeys keys;
  @Inject Caller caller;

  @Override
  public void filter(ContainerRequestContext request) {
    String secret = presented(request);
    if (secret == null) {
      request.abortWith(
          OpenAiError.invalidApiKey(
                  "You didn't provide an API key. Send it as Authorization: Bearer <key>.")
              .response());
      return;
    }
    keys.authenticate(secret)
        .ifPresentOrElse(
            grant ->
                caller.identifyByKey(
                    grant.username(), grant.accountId(), grant.keyId(), grant.models()),
            () ->
                request.abortWith(
                    OpenAiError.invalidApiKey(
                            "Incorrect API key provided: "
                                + hint(secret)
                                + ". Keys are made under API keys in LLM Chat.")
                        .response()));
  }

  /** The key from either header; null when neither carries one. */
  static String presented(ContainerRequestContext request) {
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      return authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
          ? authorization.substring(BEARER.length()).strip()
          : null;
    }
    String header = request.getHeaderString("x-api-key");
    return header == null ? null : header.strip();
  }

  /** What an error may say of a wrong key: its start and end, as OpenAI does. */
  static String hint(String secret) {
    return secret.length() < 12
        ? "****"
        : secret.substring(0, 6) + "****" + secret.substring(secret.length() - 4);
  }
}
