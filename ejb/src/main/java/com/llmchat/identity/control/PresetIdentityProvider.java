package com.llmchat.identity.control;

import com.llmchat.identity.entity.IdentityProvider;
import com.llmchat.identity.entity.ProviderSettings;
import com.llmchat.platform.control.StartupTurn;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At every start: the identity provider the operator configured (LLMCHAT_OIDC_ISSUER, _CLIENT_ID,
 * the secret from LLMCHAT_OIDC_CLIENT_SECRET_FILE, and the optional claims) becomes, or stays, a
 * provider kept in step with those settings; unset, it is disabled. Secrets sealed with an older
 * master key are re-sealed with the current one.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class PresetIdentityProvider {

  private static final Logger LOG = Logger.getLogger(PresetIdentityProvider.class.getName());

  @PersistenceContext EntityManager em;
  @Inject StartupTurn startupTurn;
  @Inject ProviderCredentials credentials;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.issuer")
  Optional<String> issuer;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.client-id")
  Optional<String> clientId;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.client-secret-file")
  Optional<String> clientSecretFile;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.name", defaultValue = "SSO")
  String name;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.scopes")
  Optional<String> scopes;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.username-claim")
  Optional<String> usernameClaim;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.groups-claim")
  Optional<String> groupsClaim;

  @Inject
  @ConfigProperty(name = "llmchat.oidc.ca-file")
  Optional<String> caFile;

  @PostConstruct
  void synchronize() {
    startupTurn.take();
    resealStaleSecrets();
    Optional<IdentityProvider> existing =
        em.createNamedQuery(IdentityProvider.PRESET, IdentityProvider.class)
            .getResultStream()
            .findFirst();
    if (issuer.filter(i -> !i.isBlank()).isEmpty()) {
      existing.ifPresent(provider -> provider.enable(false));
      return;
    }
    ProviderSettings settings = settings();
    IdentityProvider provider =
        existing.orElseGet(
            () -> {
              IdentityProvider created = new IdentityProvider(settings, true);
              em.persist(created);
              return created;
            });
    provider.configure(settings);
    String secret =
        clientSecretFile.filter(f -> !f.isBlank()).map(PresetIdentityProvider::read).orElse(null);
    provider.storeClientSecret(
        secret == null ? null : credentials.seal(secret, provider.sealingContext()),
        clientSecretFile.filter(f -> !f.isBlank()).orElse(null));
    LOG.info(
        () ->
            "Identity provider '"
                + provider.name()
                + "' at "
                + settings.issuer()
                + " from LLMCHAT_OIDC_*");
  }

  /** The settings LLMCHAT_OIDC_* give (package-private for the unit test). */
  ProviderSettings settings() {
    if (clientId.filter(c -> !c.isBlank()).isEmpty()) {
      throw new IllegalStateException("LLMCHAT_OIDC_ISSUER is set: set LLMCHAT_OIDC_CLIENT_ID too");
    }
    try {
      return new ProviderSettings(
              name,
              true,
              0,
              issuer.get().strip(),
              clientId.get().strip(),
              scopes.orElse(null),
              usernameClaim.orElse(null),
              null,
              null,
              groupsClaim.orElse(null),
              caFile.filter(f -> !f.isBlank()).map(PresetIdentityProvider::read).orElse(null))
          .validated();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("LLMCHAT_OIDC_*: " + e.getMessage(), e);
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + " (LLMCHAT_OIDC_*): " + e, e);
    }
  }

  private void resealStaleSecrets() {
    for (IdentityProvider provider :
        em.createNamedQuery(IdentityProvider.ALL, IdentityProvider.class).getResultList()) {
      String sealed = provider.clientSecretSealed();
      if (sealed != null && credentials.isStale(sealed)) {
        String context = provider.sealingContext();
        provider.storeClientSecret(
            credentials.seal(credentials.open(sealed, context), context),
            provider.clientSecretFile());
      }
    }
  }
}
