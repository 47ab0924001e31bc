package com.llmchat.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The grants of keys seen recently, by the hash of their secret, so that a request with a known key
 * costs no database round trip. Dropped at once on this server when the key is revoked or its owner
 * disabled or deleted ({@link ApiKeyRevoked}, {@link AccountChanged}); kept at most {@code
 * llmchat.api-keys.cache-seconds} (what another server of a cluster may lag behind); a key's expiry
 * is checked on every use. Unknown keys are not kept.
 */
@ApplicationScoped
public class ApiKeyGrants {

  private static final int MAX_KEPT = 10_000;

  @Inject
  @ConfigProperty(name = "llmchat.api-keys.cache-seconds", defaultValue = "30")
  long cacheSeconds;

  /**
   * A grant, when it was read, and when its use was last written (both {@link System#nanoTime}).
   */
  private static final class Kept {
    final ApiKeyGrant grant;
    final long readNanos;
    volatile long useWrittenNanos;

    Kept(ApiKeyGrant grant, long now) {
      this.grant = grant;
      this.readNanos = now;
      this.useWrittenNanos = now;
    }
  }

  private final Map<String, Kept> kept = new ConcurrentHashMap<>();

  /** The grant of a key seen within the cache time, if it has not expired since. */
  public Optional<ApiKeyGrant> find(String hash, OffsetDateTime now) {
    Kept entry = kept.get(hash);
    if (entry == null) {
      return Optional.empty();
    }
    if (System.nanoTime() - entry.readNanos > TimeUnit.SECONDS.toNanos(cacheSeconds)
        || (entry.grant.expiresAt() != null && !now.isBefore(entry.grant.expiresAt()))) {
      kept.remove(hash, entry);
      return Optional.empty();
    }
    return Optional.of(entry.grant);
  }

  /**
   * Whether a use of the key is to be written now: at most once per {@code interval} nanoseconds
   * per key (a write per request would cost what the cache saves).
   */
  public boolean useToWrite(String hash, long intervalNanos) {
    Kept entry = kept.get(hash);
    long now = System.nanoTime();
    if (entry == null || now - entry.useWrittenNanos < intervalNanos) {
      return false;
    }
    entry.useWrittenNanos = now;
    return true;
  }

  public void keep(String hash, ApiKeyGrant grant) {
    if (cacheSeconds <= 0) {
      return;
    }
    if (kept.size() >= MAX_KEPT) {
      // many keys in use at once: start again rather than track which went unused longest
      kept.clear();
    }
    kept.put(hash, new Kept(grant, System.nanoTime()));
  }

  void revoked(@Observes(during = TransactionPhase.AFTER_COMPLETION) ApiKeyRevoked revoked) {
    kept.values().removeIf(entry -> entry.grant.keyId() == revoked.keyId());
  }

  void accountChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION) AccountChanged changed) {
    kept.values().removeIf(entry -> entry.grant.accountId() == changed.accountId());
  }
}
