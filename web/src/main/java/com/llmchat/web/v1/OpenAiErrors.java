package com.llmchat.web.v1;

import com.llmchat.platform.boundary.Refusal;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place where exceptions of {@code /v1} become answers, in OpenAI's error shape. */
@Provider
public class OpenAiErrors implements ExceptionMapper<Exception> {

  private static final Logger LOG = Logger.getLogger(OpenAiErrors.class.getName());

  @Override
  public Response toResponse(Exception exception) {
    Throwable cause =
        exception instanceof EJBException && exception.getCause() != null
            ? exception.getCause()
            : exception;
    return error(cause).response();
  }

  static OpenAiError error(Throwable cause) {
    if (cause instanceof Refusal.Refused refused) {
      Refusal refusal = refused.refusal();
      int status = refusal.status();
      String type =
          status == 401
              ? "invalid_request_error"
              : status == 403
                  ? "permission_error"
                  : status == 429 ? "rate_limit_error" : "invalid_request_error";
      return new OpenAiError(
          status, refused.getMessage(), type, refusal.problemType().replace('-', '_'), null);
    }
    if (cause instanceof NotFoundException) {
      return new OpenAiError(404, "Unknown path", "invalid_request_error", "not_found", null);
    }
    if (cause instanceof NotAllowedException) {
      return new OpenAiError(
          405, "Method not allowed", "invalid_request_error", "method_not_allowed", null);
    }
    if (cause instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      int status = web.getResponse().getStatus();
      return new OpenAiError(
          status,
          "The request was refused (HTTP " + status + ")",
          "invalid_request_error",
          null,
          null);
    }
    LOG.log(Level.WARNING, "/v1 request failed", cause);
    return new OpenAiError(
        500, "The server failed to answer the request", "server_error", "internal_error", null);
  }
}
