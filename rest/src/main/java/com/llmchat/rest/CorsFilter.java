package com.llmchat.rest;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cross-origin access for the origins listed in LLMCHAT_CORS_ORIGINS (comma-separated, exact
 * matches) and no other: by default no browser page of another origin may call the API.
 */
@Provider
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

  @Inject
  @ConfigProperty(name = "llmchat.cors.origins")
  Optional<String> configured;

  private Set<String> origins;

  @PostConstruct
  void readOrigins() {
    origins =
        Arrays.stream(configured.orElse("").split(","))
            .map(String::trim)
            .filter(origin -> !origin.isEmpty() && !origin.equals("*"))
            .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String origin = request.getHeaderString("Origin");
    if ("OPTIONS".equals(request.getMethod())
        && origin != null
        && request.getHeaderString("Access-Control-Request-Method") != null) {
      Response.ResponseBuilder preflight = Response.noContent();
      if (origins.contains(origin)) {
        preflight
            .header("Access-Control-Allow-Origin", origin)
            .header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
            .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID")
            .header("Access-Control-Max-Age", "600")
            .header("Vary", "Origin");
      }
      request.abortWith(preflight.build());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String origin = request.getHeaderString("Origin");
    if (origin != null && origins.contains(origin)) {
      response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
      response.getHeaders().add("Vary", "Origin");
    }
  }
}
