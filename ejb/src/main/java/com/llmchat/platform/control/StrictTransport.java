package com.llmchat.platform.control;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * HTTP Strict Transport Security: once a browser reached LLM Chat over TLS, it never uses plain
 * HTTP for it again. Sent when the request came over TLS (to WildFly itself, or through a proxy
 * WildFly trusts with LLMCHAT_BEHIND_PROXY or one in LLMCHAT_TRUSTED_PROXIES saying
 * X-Forwarded-Proto: https), or when the operator declared the site HTTPS-only with
 * LLMCHAT_SECURE_COOKIES=true.
 */
public final class StrictTransport {

  public static final String HEADER = "Strict-Transport-Security";
  public static final String VALUE = "max-age=31536000";

  private static volatile Boolean secureCookies;

  private StrictTransport() {}

  public static void apply(HttpServletRequest request, HttpServletResponse response) {
    if (request.isSecure()
        || secureCookies()
        || ClientAddresses.configured()
            .forwardedHttps(request.getRemoteAddr(), request.getHeader("X-Forwarded-Proto"))) {
      response.setHeader(HEADER, VALUE);
    }
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
