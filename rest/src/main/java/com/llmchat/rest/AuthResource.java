package com.llmchat.rest;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.boundary.Accounts.LoginResult;
import com.llmchat.edge.ClientAddresses;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Registration, login, token refresh, logout and password change. */
@RequestScoped
@Tag(name = "Accounts")
@Path("v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

  public record Registration(
      @NotBlank @Size(max = 64) String username,
      @NotNull @Size(max = 256) String password,
      @Size(max = 100) String displayName,
      @Size(max = 254) String email,
      @Size(max = 20) String locale) {}

  /** username: a local username, or a directory login name (AD's user@domain is longer). */
  public record Login(
      @NotBlank @Size(max = 256) String username, @NotNull @Size(max = 256) String password) {}

  public record Refresh(@NotBlank @Size(max = 200) String refreshToken) {}

  public record PasswordChange(
      @NotNull @Size(max = 256) String currentPassword,
      @NotNull @Size(max = 256) String newPassword) {}

  public record SessionView(
      String accessToken, String tokenType, long expiresIn, String refreshToken, AccountView user) {
    static SessionView of(Accounts.Session session) {
      return new SessionView(
          session.accessToken(),
          "Bearer",
          session.expiresIn(),
          session.refreshToken(),
          AccountView.of(session.account()));
    }
  }

  @Inject Accounts accounts;
  @Context HttpServletRequest request;

  @POST
  @Path("register")
  @PermitAll
  public Response register(@Valid @NotNull Registration registration) {
    var account =
        accounts.register(
            registration.username(),
            registration.password(),
            registration.displayName(),
            registration.email(),
            registration.locale(),
            ClientAddresses.of(request));
    return Response.status(Status.CREATED).entity(AccountView.of(account)).build();
  }

  @POST
  @Path("login")
  @PermitAll
  public Response login(@Valid @NotNull Login login) {
    LoginResult result =
        accounts.login(login.username(), login.password(), ClientAddresses.of(request));
    if (result instanceof LoginResult.Success success) {
      return Response.ok(SessionView.of(success.session())).build();
    }
    if (result instanceof LoginResult.Locked locked) {
      long seconds =
          Math.max(
              1, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), locked.until()).toSeconds());
      return Problem.of(
              Status.TOO_MANY_REQUESTS,
              "login-locked",
              "Too many failed logins; try again in " + seconds + " seconds")
          .toResponse()
          .header("Retry-After", seconds)
          .build();
    }
    if (result instanceof LoginResult.Unavailable) {
      return Problem.of(
              Status.SERVICE_UNAVAILABLE,
              "directory-unavailable",
              "The company directory cannot be reached; try again later")
          .toResponse()
          .header("Retry-After", 30)
          .build();
    }
    return Problem.of(Status.UNAUTHORIZED, "invalid-credentials", "Wrong username or password")
        .toResponse()
        .build();
  }

  @POST
  @Path("refresh")
  @PermitAll
  public Response refresh(@Valid @NotNull Refresh refresh) {
    return accounts
        .refresh(refresh.refreshToken(), ClientAddresses.of(request))
        .map(session -> Response.ok(SessionView.of(session)).build())
        .orElseGet(
            () ->
                Problem.of(
                        Status.UNAUTHORIZED,
                        "invalid-refresh-token",
                        "The refresh token is unknown, expired, revoked or already used; log in again")
                    .toResponse()
                    .build());
  }

  @POST
  @Path("logout")
  @PermitAll
  public Response logout(@Valid @NotNull Refresh refresh) {
    accounts.logout(refresh.refreshToken(), ClientAddresses.of(request));
    return Response.noContent().build();
  }

  @PUT
  @Path("password")
  @RolesAllowed({Roles.USER, Roles.ADMIN})
  public SessionView changePassword(@Valid @NotNull PasswordChange change) {
    return SessionView.of(
        accounts.changePassword(
            change.currentPassword(), change.newPassword(), ClientAddresses.of(request)));
  }
}
