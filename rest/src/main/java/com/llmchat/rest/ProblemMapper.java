package com.llmchat.rest;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.control.AccessRefusedException;
import com.llmchat.conversations.boundary.ConversationException;
import com.llmchat.providers.boundary.ProviderException;
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

  private static Problem accountProblem(AccountException e) {
    return switch (e.reason()) {
      case REGISTRATION_CLOSED ->
          Problem.of(Status.FORBIDDEN, "registration-closed", e.getMessage());
      case USERNAME_TAKEN -> Problem.of(Status.CONFLICT, "username-taken", e.getMessage());
      case WEAK_PASSWORD -> Problem.of(Status.BAD_REQUEST, "weak-password", e.getMessage());
      case WRONG_PASSWORD -> Problem.of(Status.BAD_REQUEST, "wrong-password", e.getMessage());
      case NOT_FOUND -> Problem.of(Status.NOT_FOUND, "account-not-found", e.getMessage());
      case LAST_ADMIN -> Problem.of(Status.CONFLICT, "last-admin", e.getMessage());
      case OWN_ACCOUNT -> Problem.of(Status.CONFLICT, "own-account", e.getMessage());
      case INVALID -> Problem.of(Status.BAD_REQUEST, "invalid-request", e.getMessage());
    };
  }

  private static Problem providerProblem(ProviderException e) {
    return switch (e.reason()) {
      case PROVIDER_NOT_FOUND -> Problem.of(Status.NOT_FOUND, "provider-not-found", e.getMessage());
      case MODEL_NOT_FOUND -> Problem.of(Status.NOT_FOUND, "model-not-found", e.getMessage());
      case UNKNOWN_MODEL -> Problem.of(Status.NOT_FOUND, "unknown-model", e.getMessage());
      case NAME_TAKEN -> Problem.of(Status.CONFLICT, "provider-name-taken", e.getMessage());
      case ALIAS_TAKEN -> Problem.of(Status.CONFLICT, "model-alias-taken", e.getMessage());
      case REFUSED_ADDRESS -> Problem.of(Status.BAD_REQUEST, "refused-address", e.getMessage());
      case KEY_UNREADABLE -> Problem.of(Status.CONFLICT, "api-key-unreadable", e.getMessage());
      case PRESET -> Problem.of(Status.CONFLICT, "preset-provider", e.getMessage());
      case INVALID -> Problem.of(Status.BAD_REQUEST, "invalid-request", e.getMessage());
    };
  }

  private static Problem conversationProblem(ConversationException e) {
    return switch (e.reason()) {
      case CONVERSATION_NOT_FOUND ->
          Problem.of(Status.NOT_FOUND, "conversation-not-found", e.getMessage());
      case MESSAGE_NOT_FOUND -> Problem.of(Status.NOT_FOUND, "message-not-found", e.getMessage());
      case REPLY_IN_PROGRESS -> Problem.of(Status.CONFLICT, "reply-in-progress", e.getMessage());
      case NOT_REGENERABLE -> Problem.of(Status.CONFLICT, "not-regenerable", e.getMessage());
      case NOT_EDITABLE -> Problem.of(Status.CONFLICT, "not-editable", e.getMessage());
      case INVALID -> Problem.of(Status.BAD_REQUEST, "invalid-request", e.getMessage());
    };
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

  private Problem problem(Throwable e) {
    if (e instanceof AccountException refused) {
      return accountProblem(refused);
    }
    if (e instanceof AccessRefusedException refused) {
      return refused.authenticated()
          ? Problem.of(Status.FORBIDDEN, "forbidden", "Not allowed for your role")
          : Problem.of(Status.UNAUTHORIZED, "unauthenticated", "A valid access token is required");
    }
    if (e instanceof InvalidSettingException) {
      return Problem.of(Status.BAD_REQUEST, "invalid-setting", e.getMessage());
    }
    if (e instanceof ProviderException refused) {
      return providerProblem(refused);
    }
    if (e instanceof ConversationException refused) {
      return conversationProblem(refused);
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
