package com.llmchat.providers.control;

import com.llmchat.platform.control.StartupTurn;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.Provider;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At every start: the model server the operator configured (LLMCHAT_LLM_URL, _MODEL, _API_KEY,
 * _NAME — the settings operators know from other systems) becomes, or stays, an administrators'
 * provider with that model; unset, it is disabled. Keys sealed with an older master key are
 * re-sealed with the current one.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class PresetProvider {

  private static final Logger LOG = Logger.getLogger(PresetProvider.class.getName());

  @PersistenceContext EntityManager em;
  @Inject StartupTurn startupTurn;
  @Inject ProviderCredentials credentials;

  @Inject
  @ConfigProperty(name = "llmchat.llm.url")
  Optional<String> baseUrl;

  @Inject
  @ConfigProperty(name = "llmchat.llm.model")
  Optional<String> model;

  @Inject
  @ConfigProperty(name = "llmchat.llm.api-key")
  Optional<String> apiKey;

  @Inject
  @ConfigProperty(name = "llmchat.llm.name")
  Optional<String> name;

  /** Whether the model takes images (Qwen-VL, GLM-4V, InternVL ...): kept in step at each start. */
  @Inject
  @ConfigProperty(name = "llmchat.llm.vision", defaultValue = "false")
  boolean vision;

  @PostConstruct
  void synchronize() {
    startupTurn.take();
    resealStaleKeys();
    Optional<Provider> existing =
        em.createNamedQuery(Provider.PRESET, Provider.class).getResultStream().findFirst();
    if (baseUrl.filter(u -> !u.isBlank()).isEmpty() || model.filter(m -> !m.isBlank()).isEmpty()) {
      existing.ifPresent(provider -> provider.enable(false));
      return;
    }
    String displayName = name.filter(n -> !n.isBlank()).orElse(model.get());
    Provider provider =
        existing.orElseGet(
            () -> {
              var created = new Provider(displayName, baseUrl.get(), null, true);
              em.persist(created);
              return created;
            });
    provider.moveTo(baseUrl.get());
    provider.allowPrivateNetwork(true);
    provider.enable(true);
    credentials.store(provider, apiKey.orElse(null));
    Optional<Model> configured =
        em.createNamedQuery(Model.OF_PROVIDER, Model.class)
            .setParameter("provider", provider)
            .getResultStream()
            .filter(m -> m.upstreamId().equals(model.get()))
            .findFirst();
    if (configured.isEmpty()) {
      var created = new Model(provider, model.get(), model.get(), displayName);
      created.seesImages(vision);
      em.persist(created);
    } else {
      configured.get().describe(model.get(), configured.get().alias(), displayName);
      configured.get().enable(true);
      configured.get().seesImages(vision);
    }
    LOG.info(() -> "Preset model server: " + displayName + " at " + provider.baseUrl());
  }

  private void resealStaleKeys() {
    long resealed =
        em.createNamedQuery(Provider.ALL, Provider.class)
            .getResultStream()
            .filter(credentials::reseal)
            .count();
    if (resealed > 0) {
      LOG.info(
          () ->
              "Re-sealed "
                  + resealed
                  + " provider keys with master key "
                  + credentials.currentKeyId());
    }
  }
}
