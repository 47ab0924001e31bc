package com.llmchat.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address browsers reach the server at, for the URLs an identity provider sends them back to:
 * LLMCHAT_PUBLIC_URL (e.g. https://chat.example.com), else the request's own scheme, host and port
 * (as a reverse proxy passes them on, see LLMCHAT_BEHIND_PROXY).
 */
@ApplicationScoped
public class PublicAddress {

  @Inject
  @ConfigProperty(name = "llmchat.public-url")
  Optional<String> configured;

  public String of(HttpServletRequest request) {
    if (configured.filter(u -> !u.isBlank()).isPresent()) {
      String url = configured.get().strip();
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
    int port = request.getServerPort();
    boolean usual =
        ("http".equals(request.getScheme()) && port == 80)
            || ("https".equals(request.getScheme()) && port == 443);
    return request.getScheme() + "://" + request.getServerName() + (usual ? "" : ":" + port);
  }
}
