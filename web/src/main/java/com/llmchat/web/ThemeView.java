package com.llmchat.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.util.Map;

/**
 * Light or dark: the PrimeFaces theme (saga or vela) and the page's own colours, switched on every
 * page and remembered by the browser for a year (also before login).
 */
@Named("theme")
@RequestScoped
public class ThemeView {

  static final String COOKIE = "llmchat-theme";
  private static final int ONE_YEAR = 365 * 24 * 3600;

  private Boolean dark;

  public boolean isDark() {
    if (dark == null) {
      Object cookie =
          FacesContext.getCurrentInstance().getExternalContext().getRequestCookieMap().get(COOKIE);
      dark = cookie instanceof Cookie c && "dark".equals(c.getValue());
    }
    return dark;
  }

  /** The PrimeFaces theme, included by WEB-INF/includes/head.xhtml. */
  public String getPrimeFaces() {
    return isDark() ? "vela-blue" : "saga-blue";
  }

  /** Remembers the choice and shows the same page again, by a GET (post-redirect-get). */
  public void use(String name) throws IOException {
    dark = "dark".equals(name);
    FacesContext faces = FacesContext.getCurrentInstance();
    ExternalContext external = faces.getExternalContext();
    String path = external.getRequestContextPath();
    external.addResponseCookie(
        COOKIE,
        dark ? "dark" : "light",
        Map.of(
            "maxAge",
            ONE_YEAR,
            "path",
            path.isEmpty() ? "/" : path,
            "httpOnly",
            true,
            "SameSite",
            "Lax"));
    SamePage.reload(faces);
  }
}
