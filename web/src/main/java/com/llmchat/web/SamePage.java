package com.llmchat.web;

import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;

/**
 * Sends the browser back to the page a switch was clicked on, with its query (e.g. the open
 * conversation), by a GET: the page is rendered afresh in the new language or theme.
 */
final class SamePage {

  private SamePage() {}

  static void reload(FacesContext faces) throws IOException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    String contextPath = external.getRequestContextPath();
    String target = contextPath + faces.getViewRoot().getViewId();
    String referer = request.getHeader("Referer");
    if (referer != null) {
      try {
        URI page = new URI(referer);
        // only a page of this application, as this request reached it
        if (request.getServerName().equalsIgnoreCase(page.getHost())
            && page.getRawPath() != null
            && page.getRawPath().startsWith(contextPath + "/")
            && !page.getRawPath().startsWith("//")) {
          target = page.getRawPath() + (page.getRawQuery() == null ? "" : "?" + page.getRawQuery());
        }
      } catch (java.net.URISyntaxException e) {
        // a malformed Referer: the page itself, without its query
      }
    }
    external.redirect(target);
  }
}
