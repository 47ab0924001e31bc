package com.llmchat.web;

import com.llmchat.identity.control.OidcLogins;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The logout button on every page. A session that logged in through an identity provider ends there
 * too (RP-initiated logout), and the provider sends the browser back to the login page.
 */
@Named
@RequestScoped
public class LogoutView {

  @Inject FacesContext faces;
  @Inject OidcLogins oidc;
  @Inject PublicAddress address;

  public void logout() throws IOException, ServletException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    HttpSession session = request.getSession(false);
    Object loggedIn = session == null ? null : session.getAttribute(OidcServlet.LOGGED_IN);
    request.logout();
    external.invalidateSession();
    String login = external.getRequestContextPath() + "/login.xhtml";
    if (loggedIn instanceof OidcServlet.LoggedIn through) {
      Optional<URI> there =
          oidc.logoutUrl(
              through.providerId(), through.idToken(), URI.create(address.of(request) + login));
      if (there.isPresent()) {
        // on through a page of ours: the form's redirect may not leave the origin (CSP)
        request.getSession(true).setAttribute(OidcServlet.LOGOUT_TO, there.get().toString());
        external.redirect(external.getRequestContextPath() + "/login/oidc/logout");
        return;
      }
    }
    external.redirect(login);
  }
}
