package com.llmchat.providers.control;

import com.llmchat.providers.entity.Route;
import jakarta.enterprise.context.ApplicationScoped;
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
}
