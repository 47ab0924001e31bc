package com.llmchat.rest;

import com.llmchat.accounts.control.AccessRefusedException;
import com.llmchat.platform.boundary.Refusal;
import com.llmchat.settings.boundary.InvalidSettingException;
import jakarta.ejb.EJBAccessException;
import jakarta.ejb.EJBException;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** The one place where exceptions become HTTP answers. */
@Provider
public class ProblemMapper implements ExceptionMapper<Exception> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

  @Context SecurityContext security;

  @Override
  public Response toResponse(Exception exception) {
    Throwable cause =
        exception instanceof EJBException && exception.getCause() != null
            ? exception.getCause()
            : exception;
    Problem problem = problem(cause);
    if (problem.type().endsWith("/forbidden") && security.getUserPrincipal() == null) {
      // no (valid) token at all: the client must authenticate, not ask for another role
      return Problem.of(Status.UNAUTHORIZED, "unauthenticated", "A valid access token is required")
          .toResponse()
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .build();
    }
    return problem.toResponse().build();
  }

  static Problem invalid(ConstraintViolationException violations) {
    String detail =
        violations.getConstraintViolations().stream()
            .map(v -> v.getPropertyPath() + ": " + v.getMessage())
            .sorted()
            .collect(Collectors.joining("; "));
    return Problem.of(Status.BAD_REQUEST, "invalid-request", detail);
  }

  private static boolean isMalformedBody(Throwable cause) {
    return cause instanceof JsonbException || cause instanceof JsonException;
  }

  /** A body RequestBodies refused while it was being read, if that is what went wrong. */
  private static Problem refusedBody(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RequestBodies.Refused refused) {
        return refused.problem();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  private Problem problem(Throwable e) {
    Problem refusedBody = refusedBody(e);
    if (refusedBody != null) {
      return refusedBody;
    }
    if (e instanceof Refusal.Refused refused) {
      Refusal why = refused.refusal();
      return Problem.of(why.status(), why.problemType(), e.getMessage());
    }
    if (e instanceof AccessRefusedException refused) {
      return refused.authenticated()
          ? Problem.of(Status.FORBIDDEN, "forbidden", "Not allowed for your role")
          : Problem.of(Status.UNAUTHORIZED, "unauthenticated", "A valid access token is required");
    }
    if (e instanceof InvalidSettingException) {
      return Problem.of(Status.BAD_REQUEST, "invalid-setting", e.getMessage());
    }
    if (e instanceof ConstraintViolationException violations) {
      return invalid(violations);
    }
    if (e instanceof ProcessingException && isMalformedBody(e.getCause())) {
      return Problem.of(
          Status.BAD_REQUEST,
          "malformed-body",
          "The request body is not valid JSON for this endpoint");
    }
    if (e instanceof IllegalArgumentException) {
      return Problem.of(Status.BAD_REQUEST, "invalid-request", e.getMessage());
    }
    if (e instanceof EJBAccessException || e instanceof ForbiddenException) {
      return Problem.of(Status.FORBIDDEN, "forbidden", "Not allowed for your role");
    }
    if (e instanceof WebApplicationException web) {
      Status status = Status.fromStatusCode(web.getResponse().getStatus());
      Status known = status == null ? Status.INTERNAL_SERVER_ERROR : status;
      return Problem.of(known, known.name().toLowerCase().replace('_', '-'), web.getMessage());
    }
    LOG.log(Level.SEVERE, "Unexpected error", e);
    return Problem.of(
        Status.INTERNAL_SERVER_ERROR, "internal-error", "Unexpected error; see the server log");
  }
}
