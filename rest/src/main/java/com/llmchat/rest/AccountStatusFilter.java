package com.llmchat.rest;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.control.Caller;
import com.llmchat.accounts.entity.Account;
import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every authenticated request is checked against the account as it is now: a deleted or disabled
 * account, or a token older than the last password change, is refused (401); an account with a
 * one-time password may only change it. The roles an endpoint allows are checked against the role
 * the account has now, not the groups in the token: a demoted administrator's token stops opening
 * administrators' endpoints at once.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class AccountStatusFilter implements ContainerRequestFilter {

  /** What an account that must change its password may still do. */
  private static final Set<String> DURING_PASSWORD_CHANGE =
      Set.of(
          "GET v1/users/me", "PUT v1/auth/password", "POST v1/auth/logout", "POST v1/auth/refresh");

  @Inject Accounts accounts;
  @Inject Caller caller;
  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token)) {
      return;
    }
    Optional<Account> account = accounts.status(token.getName());
    if (account.isEmpty() || !account.get().acceptsTokenIssuedAt(token.getIssuedAtTime())) {
      request.abortWith(
          Problem.of(
                  Status.UNAUTHORIZED,
                  "token-revoked",
                  "This access token is no longer valid (account disabled, deleted or password changed); log in again")
              .toResponse()
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
              .build());
      return;
    }
    caller.identify(account.get().username(), account.get().id());
    if (!allowedNow(account.get())) {
      request.abortWith(
          Problem.of(Status.FORBIDDEN, "forbidden", "Not allowed for your role")
              .toResponse()
              .build());
      return;
    }
    String call = request.getMethod() + " " + stripSlashes(request.getUriInfo().getPath());
    if (account.get().mustChangePassword() && !DURING_PASSWORD_CHANGE.contains(call)) {
      request.abortWith(
          Problem.of(
                  Status.FORBIDDEN,
                  "password-change-required",
                  "Choose a new password first (PUT /api/v1/auth/password)")
              .toResponse()
              .build());
    }
  }

  /** The endpoint's {@code @RolesAllowed} (method before class) against the stored role. */
  private boolean allowedNow(Account account) {
    Method method = resource.getResourceMethod();
    RolesAllowed allowed = method == null ? null : method.getAnnotation(RolesAllowed.class);
    if (allowed == null && resource.getResourceClass() != null) {
      allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
    }
    return allowed == null
        || Arrays.stream(allowed.value()).anyMatch(account.role().groups()::contains);
  }

  private static String stripSlashes(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
