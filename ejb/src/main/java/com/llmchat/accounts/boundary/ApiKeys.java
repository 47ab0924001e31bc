package com.llmchat.accounts.boundary;

import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.control.ApiKeyGrant;
import com.llmchat.accounts.control.ApiKeyGrants;
import com.llmchat.accounts.control.ApiKeyRevoked;
import com.llmchat.accounts.control.ApiKeySecrets;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.ApiKey;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.platform.control.Containing;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Personal API keys: users create, list and revoke their own; administrators list and revoke
 * anyone's. Creating and revoking are audited. A key's secret is returned once, at creation.
 */
@Stateless
public class ApiKeys {

  /** A key just made, with its secret: the only time the secret is seen. */
  public record Created(ApiKey key, String secret) {}

  /** How often a key's last use is written at most (a write per request would be too many). */
  private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Models models;
  @Inject AuditLog audit;
  @Inject ApiKeyGrants grants;
  @Inject Event<ApiKeyRevoked> revocations;

  /** Keys a user may hold at once (neither revoked nor expired). */
  @Inject
  @ConfigProperty(name = "llmchat.api-keys.max-per-user", defaultValue = "50")
  int maxPerUser;

  /**
   * A new key of the caller's; {@code limitedTo}: model aliases the caller may use now (none: every
   * model, also those added later).
   */
  public Created create(
      String name, List<String> limitedTo, OffsetDateTime expiresAt, String clientIp) {
    Account owner = callers.current();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    long active =
        em.createNamedQuery(ApiKey.COUNT_ACTIVE, Long.class)
            .setParameter("account", owner)
            .setParameter("now", now)
            .getSingleResult();
    if (active >= maxPerUser) {
      throw new AccountException(
          Reason.TOO_MANY_API_KEYS,
          "You hold " + active + " keys, the most allowed; revoke one you no longer use");
    }
    List<String> aliases = limitedTo == null ? List.of() : limitedTo.stream().distinct().toList();
    for (String alias : aliases) {
      if (alias == null || !models.exists(owner.id(), alias)) {
        throw new ProviderException(
            ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + alias);
      }
    }
    String secret = ApiKeySecrets.generate();
    ApiKey key;
    try {
      key =
          new ApiKey(
              owner,
              name,
              ApiKeySecrets.prefix(secret),
              ApiKeySecrets.hash(secret),
              aliases,
              expiresAt,
              now);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    em.persist(key);
    em.flush();
    audit.record(
        owner.username(),
        "api-key-create",
        key.prefix(),
        Outcome.SUCCESS,
        clientIp,
        key.name() + (aliases.isEmpty() ? "" : ", models " + String.join(",", aliases)));
    return new Created(key, secret);
  }

  /**
   * Writes when a key was last used, without its version: the first requests of a key often come
   * together (an application's parallel calls), and a versioned change of the key by each would
   * fail all but one of them. The latest time wins, which is what the column says.
   */
  private void noteUse(long keyId, OffsetDateTime now) {
    em.createNamedQuery(ApiKey.USED)
        .setParameter("id", keyId)
        .setParameter("now", now)
        .executeUpdate();
  }

  /**
   * The grant of a presented secret: empty for a malformed, unknown, revoked or expired key, and
   * for a key whose owner is disabled. A key seen recently is answered from {@link ApiKeyGrants}
   * (no database round trip), which forgets it at once when it is revoked or its owner disabled.
   */
  public Optional<ApiKeyGrant> authenticate(String secret) {
    if (!ApiKeySecrets.wellFormed(secret)) {
      return Optional.empty();
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String hash = ApiKeySecrets.hash(secret);
    Optional<ApiKeyGrant> known = grants.find(hash, now);
    if (known.isPresent()) {
      if (grants.useToWrite(hash, LAST_USED_PRECISION.toNanos())) {
        noteUse(known.get().keyId(), now);
      }
      return known;
    }
    Optional<ApiKeyGrant> read =
        em.createNamedQuery(ApiKey.BY_HASH, ApiKey.class)
            .setParameter("hash", hash)
            .getResultStream()
            .findFirst()
            .filter(key -> key.isActive(now) && key.account().enabled())
            .map(
                key -> {
                  if (key.lastUsedAt() == null
                      || key.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION))) {
                    noteUse(key.id(), now);
                  }
                  Account owner = key.account();
                  return new ApiKeyGrant(
                      key.id(),
                      owner.id(),
                      owner.username(),
                      Set.copyOf(key.models()),
                      key.expiresAt());
                });
    read.ifPresent(grant -> grants.keep(hash, grant));
    return read;
  }

  /** The caller's keys, newest first, revoked and expired ones included. */
  public List<ApiKey> own() {
    return em.createNamedQuery(ApiKey.OF_ACCOUNT, ApiKey.class)
        .setParameter("account", callers.current())
        .getResultList();
  }

  /** Revokes a key of the caller's; another user's key is "not found". */
  public ApiKey revokeOwn(long id, String clientIp) {
    Account caller = callers.current();
    ApiKey key = em.find(ApiKey.class, id);
    if (key == null || !key.account().id().equals(caller.id())) {
      throw new AccountException(Reason.API_KEY_NOT_FOUND, "No API key " + id);
    }
    return revoke(key, caller, clientIp);
  }

  /** Every user's keys whose owner or name contains {@code search}, newest first. */
  public List<ApiKey> all(String search, int limit) {
    callers.requireAdmin();
    return em.createNamedQuery(ApiKey.ALL, ApiKey.class)
        .setParameter("pattern", Containing.pattern(search))
        .setMaxResults(Math.max(1, Math.min(limit, 500)))
        .getResultList();
  }

  /** Revokes anyone's key (administrators). */
  public ApiKey revokeAny(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    ApiKey key = em.find(ApiKey.class, id);
    if (key == null) {
      throw new AccountException(Reason.API_KEY_NOT_FOUND, "No API key " + id);
    }
    return revoke(key, admin, clientIp);
  }

  private ApiKey revoke(ApiKey key, Account by, String clientIp) {
    if (key.revokedAt() == null) {
      key.revoke(by.username(), OffsetDateTime.now(ZoneOffset.UTC));
      revocations.fire(new ApiKeyRevoked(key.id()));
      audit.record(
          by.username(),
          "api-key-revoke",
          key.prefix(),
          Outcome.SUCCESS,
          clientIp,
          "of " + key.account().username() + ": " + key.name());
    }
    return key;
  }
}
