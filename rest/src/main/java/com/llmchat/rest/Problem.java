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

  public Response.ResponseBuilder toResponse() {
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this);
  }
}
