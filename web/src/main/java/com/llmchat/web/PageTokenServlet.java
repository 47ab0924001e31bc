package com.llmchat.web;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.json.JsonFactory;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /session/token}: an access token for the logged-in user, for the page's scripts to
 * call the REST API with (they cannot use the session cookie there). Only the page's own origin can
 * read the answer (no CORS here); it is never cached.
 */
@WebServlet("/session/token")
public class PageTokenServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject Accounts accounts;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    var issued = accounts.pageToken();
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response
        .getWriter()
        .write(
            JsonFactory.object()
                .add("accessToken", issued.token())
                .add("expiresIn", issued.expiresInSeconds())
                .build()
                .toString());
  }
}
