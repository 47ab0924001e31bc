package com.llmchat.providers.control;

import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What a model server said when it failed, for the people who run it: written to the server log and
 * kept as the provider's last failure (shown where its owner manages it), with anything that looks
 * like a credential redacted. Users of the model only get a code and a translated message.
 */
@ApplicationScoped
public class UpstreamFailures {

  private static final Logger LOG = Logger.getLogger(UpstreamFailures.class.getName());
  private static final int MAX_DETAIL = 500;

  /** The latest failure of a provider. */
  public record Failure(OffsetDateTime at, String code, String detail) {}

  private final Map<Long, Failure> latest = new ConcurrentHashMap<>();

  public void record(Route route, String code, String detail) {
    String redacted = Redaction.secrets(detail == null ? "" : detail.strip());
    if (redacted.length() > MAX_DETAIL) {
      redacted = redacted.substring(0, MAX_DETAIL) + "…";
    }
    latest.put(route.providerId(), new Failure(OffsetDateTime.now(ZoneOffset.UTC), code, redacted));
    String logged = redacted;
    LOG.warning(() -> "Provider " + route.providerName() + " failed (" + code + "): " + logged);
  }

  public Optional<Failure> latest(long providerId) {
    return Optional.ofNullable(latest.get(providerId));
  }

  /**
   * A failure as the user learns it (the provider's name, what happened, a code to translate) and
   * as its operators do (the exception's own words, host and port included, in the log and the
   * provider's last failure).
   */
  public StreamEvent.Error failed(Route route, String code, String what, Throwable cause) {
    record(route, code, rootMessage(cause));
    return new StreamEvent.Error(route.providerName() + " " + what, code);
  }

  /** A model server that answered the request with an HTTP error (or a redirect, not followed). */
  public StreamEvent.Error refused(Route route, WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code =
        status >= 300 && status < 400
            ? "upstream_redirect"
            : status == 401 || status == 403
                ? "upstream_auth"
                : status == 429 ? "upstream_rate_limited" : "upstream_failed";
    // the body may echo the request (keys included) or name internal hosts: operators only
    record(
        route,
        code,
        "HTTP " + status + " " + (e instanceof UpstreamHttpException answer ? answer.body() : ""));
    return new StreamEvent.Error(route.providerName() + " answered HTTP " + status, code);
  }

  /** {@code upstream_timeout} when the provider's connect or read timeout ran out. */
  public static String code(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.SocketTimeoutException
          || cause instanceof java.net.http.HttpTimeoutException
          || cause instanceof java.util.concurrent.TimeoutException) {
        return "upstream_timeout";
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "upstream_failed";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
