package com.llmchat.web;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.identity.control.OidcLogins;
import com.llmchat.identity.control.OidcLogins.LoginFailedException;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Company login through an OpenID Connect provider. {@code GET /login/oidc/start?provider=ID} sends
 * the browser to the provider with a fresh state, nonce and PKCE challenge, kept in its session (a
 * few at a time, for ten minutes); {@code GET /login/oidc/callback} takes the state back out —
 * once: a replayed or forged callback finds none and is refused — completes the login, and logs the
 * browser in with a new session id. Failures go back to the login page with a reason.
 */
@WebServlet("/login/oidc/*")
public class OidcServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(OidcServlet.class.getName());

  /** Session attribute: the logins begun and not yet come back, by state. */
  static final String PENDING = "llmchat.oidc.pending";

  /** Session attribute: the provider and ID token of this session's login, for the logout. */
  static final String LOGGED_IN = "llmchat.oidc.loggedIn";

  /** Session attribute: where the logout goes on to (the provider's end-session URL). */
  static final String LOGOUT_TO = "llmchat.oidc.logoutTo";

  private static final int MAX_PENDING = 5;
  private static final long PENDING_SECONDS = 600;

  /** A login begun in this browser. */
  record Pending(long providerId, String nonce, String verifier, long startedAt)
      implements Serializable {}

  /** How this session logged in, for RP-initiated logout. */
  record LoggedIn(long providerId, String idToken) implements Serializable {}

  @Inject OidcLogins logins;
  @Inject SecurityContext security;

  @Inject PublicAddress address;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    switch (path) {
      case "/start" -> start(request, response);
      case "/callback" -> callback(request, response);
      case "/logout" -> logout(request, response);
      default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  private void start(HttpServletRequest request, HttpServletResponse response) throws IOException {
    long providerId;
    try {
      providerId = Long.parseLong(request.getParameter("provider"));
    } catch (NumberFormatException e) {
      back(request, response, "failed");
      return;
    }
    OidcLogins.Start start;
    try {
      start = logins.begin(providerId, callbackUri(request));
    } catch (LoginFailedException e) {
      back(request, response, e.unavailable() ? "unavailable" : "failed");
      return;
    }
    Map<String, Pending> pending = pending(request.getSession(true));
    long now = Instant.now().getEpochSecond();
    pending.values().removeIf(p -> p.startedAt() + PENDING_SECONDS < now);
    while (pending.size() >= MAX_PENDING) {
      pending.remove(pending.keySet().iterator().next());
    }
    pending.put(start.state(), new Pending(providerId, start.nonce(), start.verifier(), now));
    request.getSession().setAttribute(PENDING, pending);
    response.sendRedirect(start.authorizationUrl().toString());
  }

  private void callback(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HttpSession session = request.getSession(false);
    String state = request.getParameter("state");
    Pending begun = null;
    if (session != null && state != null) {
      Map<String, Pending> pending = pending(session);
      begun = pending.remove(state);
      session.setAttribute(PENDING, pending);
    }
    if (begun == null || begun.startedAt() + PENDING_SECONDS < Instant.now().getEpochSecond()) {
      LOG.info("An OpenID Connect callback with an unknown, used or expired state was refused");
      back(request, response, "state");
      return;
    }
    if (request.getParameter("error") != null || request.getParameter("code") == null) {
      back(request, response, "failed");
      return;
    }
    OidcLogins.Completed completed;
    try {
      completed =
          logins.complete(
              begun.providerId(),
              request.getParameter("code"),
              begun.verifier(),
              begun.nonce(),
              callbackUri(request),
              ClientAddresses.of(request));
    } catch (LoginFailedException e) {
      back(request, response, e.unavailable() ? "unavailable" : "failed");
      return;
    }
    // a session id known before the login is never the logged-in one (session fixation)
    request.changeSessionId();
    AuthenticationStatus status =
        security.authenticate(
            request,
            response,
            AuthenticationParameters.withParams()
                .credential(
                    new VerifiedLogin(
                        completed.account().username(),
                        new HashSet<>(completed.account().role().groups())))
                .newAuthentication(true));
    if (status != AuthenticationStatus.SUCCESS) {
      back(request, response, "failed");
      return;
    }
    request
        .getSession()
        .setAttribute(LOGGED_IN, new LoggedIn(begun.providerId(), completed.idToken()));
    response.sendRedirect(request.getContextPath() + "/");
  }

  /**
   * The logout's way on to the provider. The logout button submits a form, and the page's
   * Content-Security-Policy (form-action 'self') stops a form's redirect to another origin; this
   * page is a navigation of its own: a refresh to the URL the logout left in the new session.
   */
  private static void logout(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HttpSession session = request.getSession(false);
    Object target = session == null ? null : session.getAttribute(LOGOUT_TO);
    if (session != null) {
      session.invalidate();
    }
    if (!(target instanceof String url)) {
      response.sendRedirect(request.getContextPath() + "/login.xhtml");
      return;
    }
    String escaped = escape(url);
    response.setContentType("text/html");
    response.setCharacterEncoding("UTF-8");
    response
        .getWriter()
        .write(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"0;url="
                + escaped
                + "\"><title>Logout</title></head><body><p><a href=\""
                + escaped
                + "\">Continue</a></p></body></html>");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Pending> pending(HttpSession session) {
    Object kept = session.getAttribute(PENDING);
    return kept instanceof Map<?, ?> map
        ? new LinkedHashMap<>((Map<String, Pending>) map)
        : new LinkedHashMap<>();
  }

  private URI callbackUri(HttpServletRequest request) {
    return URI.create(address.of(request) + request.getContextPath() + "/login/oidc/callback");
  }

  private static void back(HttpServletRequest request, HttpServletResponse response, String why)
      throws IOException {
    response.sendRedirect(request.getContextPath() + "/login.xhtml?oidc=" + why);
  }
}
