package com.llmchat.web;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.control.Caller;
import com.llmchat.accounts.entity.Account;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks the logged-in account on every request against the database: a disabled or deleted
 * account, or a session older than the last password change, is logged out at once; an account with
 * a one-time password may only change it.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class CallerFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  static final String PASSWORD_PAGE = "/account/password.xhtml";

  /** Session attribute: when this session's login happened (epoch seconds). */
  public static final String AUTHENTICATED_AT = "llmchat.authenticatedAt";

  @Inject Accounts accounts;
  @Inject Caller caller;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getUserPrincipal() == null) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Account> account = accounts.status(request.getUserPrincipal().getName());
    HttpSession session = request.getSession();
    Object authenticatedAt = session.getAttribute(AUTHENTICATED_AT);
    if (authenticatedAt == null) {
      authenticatedAt = Instant.now().getEpochSecond();
      session.setAttribute(AUTHENTICATED_AT, authenticatedAt);
    }
    // a password changed elsewhere, a disabled or deleted account: this session is over
    if (account.isEmpty() || !account.get().acceptsTokenIssuedAt((Long) authenticatedAt)) {
      request.logout();
      session.invalidate();
      response.sendRedirect(request.getContextPath() + "/login.xhtml");
      return;
    }
    caller.identify(account.get().username(), account.get().id());
    String path = request.getServletPath();
    if (account.get().mustChangePassword()
        && !path.equals(PASSWORD_PAGE)
        && !path.startsWith("/jakarta.faces.resource")) {
      response.sendRedirect(request.getContextPath() + PASSWORD_PAGE);
      return;
    }
    // the administration pages: for administrators as the database has them now, not as they
    // were at login
    if (path.startsWith("/admin/") && !account.get().isAdmin()) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN);
      return;
    }
    chain.doFilter(request, response);
  }
}
