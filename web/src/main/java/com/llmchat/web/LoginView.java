package com.llmchat.web;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.identity.control.OidcLogins;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The login page. */
@Named
@RequestScoped
public class LoginView {

  @Inject SecurityContext security;
  @Inject FacesContext faces;
  @Inject Messages messages;
  @Inject Accounts accounts;
  @Inject OidcLogins oidc;

  private String username;
  private String password;

  public void login() throws IOException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    if (request.getSession(false) != null) {
      // a session id known before login is never the logged-in one (session fixation)
      request.changeSessionId();
    }
    AuthenticationStatus status =
        security.authenticate(
            request,
            (HttpServletResponse) external.getResponse(),
            AuthenticationParameters.withParams()
                .credential(new UsernamePasswordCredential(username, password))
                .newAuthentication(true));
    password = null;
    switch (status) {
      case SEND_CONTINUE -> faces.responseComplete();
      case SUCCESS -> external.redirect(external.getRequestContextPath() + "/");
      default -> failed(request);
    }
  }

  private void failed(HttpServletRequest request) {
    Object lockedUntil = request.getAttribute(AccountIdentityStore.LOCKED_UNTIL);
    if (lockedUntil instanceof OffsetDateTime until) {
      long minutes =
          Math.max(1, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), until).toMinutes() + 1);
      messages.error("login.locked", minutes);
    } else if (request.getAttribute(AccountIdentityStore.DIRECTORY_UNAVAILABLE) != null) {
      messages.error("login.directoryUnavailable");
    } else {
      messages.error("login.failed");
    }
  }

  /** The identity providers the page offers a "Log in with …" button for. */
  public List<OidcLogins.Choice> getIdentityProviders() {
    return oidc.choices();
  }

  public String loginWith(String providerName) {
    return messages.text("login.with", providerName);
  }

  /** Why a login through an identity provider came back here, in the page's language. */
  public String getOidcFailure() {
    String why = faces.getExternalContext().getRequestParameterMap().get("oidc");
    return why == null || !List.of("state", "failed", "unavailable").contains(why)
        ? null
        : messages.text("login.oidc." + why);
  }

  /** Whether the page offers a link to self-registration. */
  public boolean isRegistrationOpen() {
    return accounts.registrationOpen();
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
