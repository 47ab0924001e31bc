package com.llmchat.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies above LLMCHAT_MAX_REQUEST_BYTES (1 MB) are refused before anything reads them: 413
 * problem+json, nothing stored. A body without a length (chunked) is cut at the same size by
 * WildFly's listener (max-post-size), which the problem mapper answers the same way.
 */
@Provider
@PreMatching
public class RequestSizeFilter implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "llmchat.max-request-bytes", defaultValue = "1048576")
  long maxBytes;

  @Override
  public void filter(ContainerRequestContext request) {
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return;
    }
    long declared;
    try {
      declared = Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      request.abortWith(
          Problem.of(Status.BAD_REQUEST, "invalid-request", "Content-Length is not a number")
              .toResponse()
              .build());
      return;
    }
    if (declared > maxBytes) {
      request.abortWith(tooLarge(maxBytes).toResponse().build());
    }
  }

  static Problem tooLarge(long maxBytes) {
    return Problem.of(
        Status.REQUEST_ENTITY_TOO_LARGE,
        "request-too-large",
        "The request body is larger than " + maxBytes + " bytes");
  }
}
