package com.llmchat.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details; {@code type} is stable and documented, {@code detail} is for people.
 */
public record Problem(String type, String title, int status, String detail) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://llmchat.dev/problems/";

  public static Problem of(Response.Status status, String type, String detail) {
    return new Problem(TYPE_BASE + type, status.getReasonPhrase(), status.getStatusCode(), detail);
  }

  /** The same for any status, also those JAX-RS has no constant for (422). */
  public static Problem of(int status, String type, String detail) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title =
        known != null
            ? known.getReasonPhrase()
            : status == 422 ? "Unprocessable Content" : "HTTP " + status;
    return new Problem(TYPE_BASE + type, title, status, detail);
  }

  public Response.ResponseBuilder toResponse() {
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this);
  }
}
