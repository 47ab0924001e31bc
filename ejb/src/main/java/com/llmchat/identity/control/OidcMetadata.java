package com.llmchat.identity.control;

import com.llmchat.identity.control.OidcClient.Discovery;
import com.llmchat.identity.control.OidcClient.ProviderException;
import com.llmchat.identity.entity.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each provider's discovery document and signing keys, fetched at its first login and kept for ten
 * minutes; the keys are fetched again at once when a token names a key not among them (the provider
 * rotated its keys), at most every ten seconds.
 */
@ApplicationScoped
public class OidcMetadata {

  private static final Duration KEPT = Duration.ofMinutes(10);
  private static final Duration REFETCH_AT_MOST = Duration.ofSeconds(10);

  /** What was read for one provider with one set of settings. */
  public record Known(
      ProviderSettings settings, Discovery discovery, List<IdTokens.Key> keys, Instant read) {}

  private final Map<Long, Known> known = new ConcurrentHashMap<>();

  public Known of(long providerId, OidcClient client, ProviderSettings settings)
      throws ProviderException {
    Known cached = known.get(providerId);
    if (cached != null
        && cached.settings().equals(settings)
        && cached.read().plus(KEPT).isAfter(Instant.now())) {
      return cached;
    }
    return read(providerId, client, settings);
  }

  /** The keys again, unless they were read moments ago. */
  public Known refreshKeys(long providerId, OidcClient client, ProviderSettings settings)
      throws ProviderException {
    Known cached = known.get(providerId);
    if (cached != null && cached.read().plus(REFETCH_AT_MOST).isAfter(Instant.now())) {
      return cached;
    }
    return read(providerId, client, settings);
  }

  private Known read(long providerId, OidcClient client, ProviderSettings settings)
      throws ProviderException {
    Discovery discovery = client.discover();
    Known fresh = new Known(settings, discovery, client.keys(discovery), Instant.now());
    known.put(providerId, fresh);
    return fresh;
  }

  public void forget(long providerId) {
    known.remove(providerId);
  }
}
