package com.llmchat.identity.boundary;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Account;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.identity.control.GroupMappings;
import com.llmchat.identity.control.OidcClient;
import com.llmchat.identity.control.OidcLogins;
import com.llmchat.identity.control.OidcMetadata;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.identity.entity.IdentityProvider;
import com.llmchat.identity.entity.ProviderSettings;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

/**
 * The administrators' OpenID Connect identity providers: add, change, remove, test (discovery and
 * signing keys), and map the groups claim's values to our groups and to the administrator role.
 * Every change is audited; the client secret is write-only.
 */
@Stateless
public class IdentityProviders {

  /** What a test of the provider found. */
  public record Probe(boolean ok, long millis, String detail) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject AuditLog audit;
  @Inject GroupMappings mappings;
  @Inject ProviderCredentials credentials;
  @Inject OidcMetadata metadata;
  @Inject OidcLogins logins;

  public List<IdentityProvider> list() {
    callers.requireAdmin();
    return em.createNamedQuery(IdentityProvider.ALL, IdentityProvider.class).getResultList();
  }

  public IdentityProvider find(long id) {
    callers.requireAdmin();
    return provider(id);
  }

  public IdentityProvider create(ProviderSettings settings, String clientSecret, String clientIp) {
    Account admin = callers.requireAdmin();
    IdentityProvider provider;
    try {
      provider = new IdentityProvider(settings, false);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    refuseTakenName(provider.name(), null);
    em.persist(provider);
    storeSecret(provider, clientSecret);
    audit.record(
        admin.username(),
        "identity-provider-create",
        provider.name(),
        Outcome.SUCCESS,
        clientIp,
        provider.settings().issuer());
    return provider;
  }

  /** New settings; a null clientSecret keeps the stored one (same issuer and client id). */
  public IdentityProvider update(
      long id, ProviderSettings settings, String clientSecret, String clientIp) {
    Account admin = callers.requireAdmin();
    IdentityProvider provider = provider(id);
    refusePreset(provider);
    try {
      provider.configure(settings);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    refuseTakenName(provider.name(), provider.id());
    if (clientSecret != null) {
      storeSecret(provider, clientSecret);
    }
    metadata.forget(id);
    audit.record(
        admin.username(),
        "identity-provider-change",
        provider.name(),
        Outcome.SUCCESS,
        clientIp,
        provider.settings().issuer());
    return provider;
  }

  public void delete(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    IdentityProvider provider = provider(id);
    refusePreset(provider);
    em.remove(provider);
    metadata.forget(id);
    audit.record(
        admin.username(),
        "identity-provider-delete",
        provider.name(),
        Outcome.SUCCESS,
        clientIp,
        null);
  }

  /** Reads the discovery document and the signing keys. */
  public Probe probe(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    IdentityProvider provider = provider(id);
    long started = System.nanoTime();
    Probe probe;
    try {
      OidcClient client = logins.client(provider.settings());
      metadata.forget(id);
      OidcMetadata.Known known = metadata.of(id, client, provider.settings());
      probe =
          new Probe(
              true,
              (System.nanoTime() - started) / 1_000_000,
              "discovery read: login at "
                  + known.discovery().authorizationEndpoint()
                  + ", "
                  + known.keys().size()
                  + " signing key(s)"
                  + (known.discovery().endSessionEndpoint() == null
                      ? "; no logout endpoint"
                      : "; logout at " + known.discovery().endSessionEndpoint())
                  + (provider.clientSecretSealed() == null ? "; no client secret stored" : ""));
    } catch (OidcClient.ProviderException | OidcLogins.LoginFailedException e) {
      probe = new Probe(false, (System.nanoTime() - started) / 1_000_000, e.getMessage());
    }
    audit.record(
        admin.username(),
        "identity-provider-test",
        provider.name(),
        probe.ok() ? Outcome.SUCCESS : Outcome.FAILURE,
        clientIp,
        probe.detail());
    return probe;
  }

  public List<GroupMapping> mappings(long providerId) {
    callers.requireAdmin();
    return em.createNamedQuery(GroupMapping.OF_PROVIDER, GroupMapping.class)
        .setParameter("provider", providerId)
        .getResultList();
  }

  /** Maps a value of the groups claim (a name or a path) to one of our groups and/or the role. */
  public GroupMapping map(
      long sourceId, String externalGroup, Long groupId, boolean administrator, String clientIp) {
    Account admin = callers.requireAdmin();
    var provider = provider(sourceId);
    return mappings.add(
        admin.username(),
        "identity-provider-mapping-add",
        provider.name(),
        groupId,
        administrator,
        () -> GroupMapping.ofProvider(provider.id(), externalGroup, groupId, administrator),
        clientIp);
  }

  /** Removes a mapping; members lose what it gave at their next login. */
  public void unmap(long sourceId, long mappingId, String clientIp) {
    Account admin = callers.requireAdmin();
    var provider = provider(sourceId);
    mappings.remove(
        admin.username(),
        "identity-provider-mapping-remove",
        provider.name(),
        mappingId,
        mapping -> provider.id().equals(mapping.providerId()),
        clientIp);
  }

  private void storeSecret(IdentityProvider provider, String clientSecret) {
    provider.storeClientSecret(
        clientSecret == null || clientSecret.isEmpty()
            ? null
            : credentials.seal(clientSecret, provider.sealingContext()),
        null);
  }

  private IdentityProvider provider(long id) {
    IdentityProvider provider = em.find(IdentityProvider.class, id);
    if (provider == null) {
      throw new AccountException(
          Reason.IDENTITY_PROVIDER_NOT_FOUND, "identity provider " + id + " not found");
    }
    return provider;
  }

  private void refuseTakenName(String name, Long self) {
    em.createNamedQuery(IdentityProvider.BY_NAME, IdentityProvider.class)
        .setParameter("key", ProviderSettings.key(name))
        .getResultStream()
        .filter(other -> !other.id().equals(self))
        .findFirst()
        .ifPresent(
            other -> {
              throw new AccountException(
                  Reason.IDENTITY_PROVIDER_NAME_TAKEN,
                  "an identity provider named " + name + " exists");
            });
  }

  private static void refusePreset(IdentityProvider provider) {
    if (provider.preset()) {
      throw new AccountException(
          Reason.MANAGED_ELSEWHERE,
          "this identity provider is the operator's (LLMCHAT_OIDC_*): change it there; its group"
              + " mapping can be edited here");
    }
  }
}
