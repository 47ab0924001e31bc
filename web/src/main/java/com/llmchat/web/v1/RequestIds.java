package com.llmchat.web.v1;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code x-request-id} on every answer of {@code /v1}, refusals included: the client's own when it
 * sent a sensible one (so that its logs and ours meet), else a new one.
 */
@Provider
@PreMatching
public class RequestIds implements ContainerRequestFilter, ContainerResponseFilter {

  static final String HEADER = "x-request-id";
  private static final String PROPERTY = "llmchat.requestId";
  private static final Pattern SENSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public void filter(ContainerRequestContext request) {
    String sent = request.getHeaderString(HEADER);
    request.setProperty(
        PROPERTY,
        sent != null && SENSIBLE.matcher(sent).matches() ? sent : "req_" + UUID.randomUUID());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(PROPERTY);
    response.getHeaders().putSingle(HEADER, id != null ? id : "req_" + UUID.randomUUID());
  }
}
