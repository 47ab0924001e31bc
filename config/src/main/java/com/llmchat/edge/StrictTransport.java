package com.llmchat.edge;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * HTTP Strict Transport Security: once a browser reached LLM Chat over TLS, it never uses plain
 * HTTP for it again. Sent when the request came over TLS (to WildFly itself, or through a proxy
 * WildFly trusts with LLMCHAT_BEHIND_PROXY or one in LLMCHAT_TRUSTED_PROXIES saying
 * X-Forwarded-Proto: https), or when the operator declared the site HTTPS-only with
 * LLMCHAT_SECURE_COOKIES=true. One filter for both web modules, declared in their web.xml (with
 * async support: the reply streams pass through it); the other security headers are WildFly's.
 */
public class StrictTransport extends HttpFilter {

  private static final long serialVersionUID = 1L;

  public static final String HEADER = "Strict-Transport-Security";
  public static final String VALUE = "max-age=31536000";

  private static volatile Boolean secureCookies;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.isSecure()
        || secureCookies()
        || ClientAddresses.configured()
            .forwardedHttps(request.getRemoteAddr(), request.getHeader("X-Forwarded-Proto"))) {
      response.setHeader(HEADER, VALUE);
    }
    chain.doFilter(request, response);
  }

  private static boolean secureCookies() {
    Boolean configured = secureCookies;
    if (configured == null) {
      configured =
          ConfigProvider.getConfig()
              .getOptionalValue("llmchat.secure-cookies", Boolean.class)
              .orElse(false);
      secureCookies = configured;
    }
    return configured;
  }
}
