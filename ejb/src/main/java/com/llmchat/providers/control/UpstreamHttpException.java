package com.llmchat.providers.control;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * A model server's answer of HTTP 400 or above, with its body read at once (the client's own
 * exception releases the connection first, and the body with it): the body is for the provider's
 * operators (UpstreamFailures), never for users. Status and Retry-After stay on the response.
 */
public class UpstreamHttpException extends WebApplicationException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_BODY = 2_000;
  private static final int READ_BODY = 8_192;

  private final String body;

  UpstreamHttpException(Response answer, String body) {
    super(
        "model server answered HTTP " + answer.getStatus(),
        Response.status(answer.getStatus())
            .header("Retry-After", answer.getHeaderString("Retry-After"))
            .build());
    this.body = body;
  }

  public String body() {
    return body;
  }

  /** Registered on every upstream client. */
  public static class Mapper implements ResponseExceptionMapper<UpstreamHttpException> {

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
      return status >= 400;
    }

    @Override
    public UpstreamHttpException toThrowable(Response answer) {
      String body;
      try {
        // an error body can be endless: only its start is read, and it is for operators only
        body =
            answer.hasEntity()
                ? UpstreamBodies.read(answer.readEntity(InputStream.class), READ_BODY, true)
                : "";
      } catch (IOException | RuntimeException unreadable) {
        body = "";
      }
      return new UpstreamHttpException(
          answer, body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
    }

    @Override
    public int getPriority() {
      // before the client's default mapper
      return 100;
    }
  }
}
