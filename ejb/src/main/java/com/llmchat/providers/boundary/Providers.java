package com.llmchat.providers.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.GroupRights;
import com.llmchat.accounts.entity.Account;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.json.JsonFactory;
import com.llmchat.providers.boundary.ProviderException.Reason;
import com.llmchat.providers.control.ProviderChanged;
import com.llmchat.providers.control.ProviderCredentials;
import com.llmchat.providers.control.Routes;
import com.llmchat.providers.control.UpstreamAddressPolicy.RefusedAddressException;
import com.llmchat.providers.control.UpstreamAddresses;
import com.llmchat.providers.control.UpstreamBodies;
import com.llmchat.providers.control.UpstreamClients;
import com.llmchat.providers.control.UpstreamFailures;
import com.llmchat.providers.control.UpstreamLimitException;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.ModelKind;
import com.llmchat.providers.entity.Provider;
import com.llmchat.providers.entity.Route;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Providers and their models: an administrator's, shared with everybody, or a user's own, seen and
 * used by that user only. Every method works in one of the two scopes and finds nothing outside it.
 */
@Stateless
public class Providers {

  /** Whose providers a call is about. */
  public enum Scope {
    /** The administrators' providers, offered to every user. */
    SHARED,
    /** The caller's own providers. */
    OWN
  }

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject GroupRights groupRights;
  @Inject ProviderCredentials credentials;
  @Inject Routes routes;
  @Inject UpstreamAddresses addresses;
  @Inject UpstreamClients clients;
  @Inject Event<ProviderChanged> changed;
  @Inject UpstreamFailures failures;
  @Inject AuditLog audit;

  /** The largest {@code /models} answer read (some list thousands of models with descriptions). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-models-bytes", defaultValue = "8388608")
  int maxModelsBytes;

  public List<Provider> list(Scope scope) {
    Account caller = caller(scope);
    return scope == Scope.SHARED
        ? em.createNamedQuery(Provider.SHARED, Provider.class).getResultList()
        : em.createNamedQuery(Provider.OWNED_BY, Provider.class)
            .setParameter("owner", caller.id())
            .getResultList();
  }

  public Provider get(Scope scope, long id) {
    return find(caller(scope), scope, id);
  }

  public List<Model> models(Scope scope, long providerId) {
    Provider provider = get(scope, providerId);
    return em.createNamedQuery(Model.OF_PROVIDER, Model.class)
        .setParameter("provider", provider)
        .getResultList();
  }

  public Provider create(Scope scope, ProviderSettings settings) {
    Account caller = caller(scope);
    requireOwnProviderRight(scope, caller);
    if (settings.name() == null || settings.baseUrl() == null) {
      throw new ProviderException(Reason.INVALID, "A provider needs a name and a base URL");
    }
    Provider provider;
    try {
      provider =
          new Provider(
              settings.name(),
              settings.baseUrl(),
              scope == Scope.SHARED ? null : caller.id(),
              false);
    } catch (IllegalArgumentException e) {
      throw new ProviderException(Reason.INVALID, e.getMessage());
    }
    apply(provider, settings);
    requireUniqueName(scope, caller, provider);
    em.persist(provider);
    em.flush();
    changed.fire(new ProviderChanged(provider.id()));
    audited(caller, "provider-created", provider.name(), detail(provider));
    return provider;
  }

  public Provider update(Scope scope, long id, ProviderSettings settings) {
    Account caller = caller(scope);
    requireOwnProviderRight(scope, caller);
    Provider provider = find(caller, scope, id);
    if (provider.preset() && (settings.apiKey() != null || provider.movesTo(settings.baseUrl()))) {
      throw new ProviderException(
          Reason.PRESET,
          "The preset provider's URL and key come from LLMCHAT_LLM_URL and LLMCHAT_LLM_API_KEY");
    }
    try {
      if (settings.name() != null) {
        provider.rename(settings.name());
      }
      if (settings.baseUrl() != null) {
        provider.moveTo(settings.baseUrl());
      }
    } catch (IllegalArgumentException e) {
      throw new ProviderException(Reason.INVALID, e.getMessage());
    }
    apply(provider, settings);
    requireUniqueName(scope, caller, provider);
    changed.fire(new ProviderChanged(provider.id()));
    audited(caller, "provider-updated", provider.name(), detail(provider));
    return provider;
  }

  public void delete(Scope scope, long id) {
    Account caller = caller(scope);
    Provider provider = find(caller, scope, id);
    if (provider.preset()) {
      throw new ProviderException(
          Reason.PRESET, "The preset provider goes away when LLMCHAT_LLM_URL is unset");
    }
    em.remove(provider);
    changed.fire(new ProviderChanged(provider.id()));
    audited(caller, "provider-deleted", provider.name(), null);
  }

  public Model addModel(Scope scope, long providerId, ModelSettings settings) {
    Account caller = caller(scope);
    requireOwnProviderRight(scope, caller);
    Provider provider = find(caller, scope, providerId);
    if (settings.upstreamId() == null) {
      throw new ProviderException(Reason.INVALID, "A model needs the provider's model id");
    }
    Model model;
    try {
      model = new Model(provider, settings.upstreamId(), settings.alias(), settings.displayName());
    } catch (IllegalArgumentException e) {
      throw new ProviderException(Reason.INVALID, e.getMessage());
    }
    applyModel(model, settings);
    requireUniqueAlias(provider, model);
    em.persist(model);
    em.flush();
    changed.fire(new ProviderChanged(provider.id()));
    audited(caller, "model-added", provider.name() + "/" + model.alias(), null);
    return model;
  }

  public Model updateModel(Scope scope, long providerId, long modelId, ModelSettings settings) {
    Account caller = caller(scope);
    requireOwnProviderRight(scope, caller);
    Model model = findModel(caller, scope, providerId, modelId);
    try {
      model.describe(
          settings.upstreamId() == null ? model.upstreamId() : settings.upstreamId(),
          settings.alias() == null ? model.alias() : settings.alias(),
          settings.displayName() == null ? model.displayName() : settings.displayName());
    } catch (IllegalArgumentException e) {
      throw new ProviderException(Reason.INVALID, e.getMessage());
    }
    applyModel(model, settings);
    requireUniqueAlias(model.provider(), model);
    changed.fire(new ProviderChanged(providerId));
    audited(caller, "model-updated", model.provider().name() + "/" + model.alias(), null);
    return model;
  }

  public void deleteModel(Scope scope, long providerId, long modelId) {
    Account caller = caller(scope);
    Model model = findModel(caller, scope, providerId, modelId);
    em.remove(model);
    changed.fire(new ProviderChanged(providerId));
    audited(caller, "model-deleted", model.provider().name() + "/" + model.alias(), null);
  }

  /** What a provider the caller may manage said when it last failed. */
  public Optional<UpstreamFailures.Failure> lastFailure(Provider provider) {
    return failures.latest(provider.id());
  }

  /** Calls the provider's {@code /models} with its stored key, through the same guard as chats. */
  public ConnectionCheck test(Scope scope, long id) {
    requireOwnProviderRight(scope, caller(scope));
    Provider provider = get(scope, id);
    // an unreadable stored key is the caller's problem to fix, not a failed connection
    Route route = routes.of(provider, null, "");
    long started = System.nanoTime();
    try {
      String json;
      try (UpstreamClients.Lease client = clients.lease(route, addresses.check(route))) {
        json =
            UpstreamBodies.read(
                client.client().models(route.authorization()), maxModelsBytes, false);
      }
      return new ConnectionCheck(true, elapsedMs(started), modelIds(json), null);
    } catch (UpstreamLimitException e) {
      return new ConnectionCheck(
          false,
          elapsedMs(started),
          List.of(),
          "the /models answer is larger than " + maxModelsBytes + " bytes");
    } catch (IOException e) {
      return new ConnectionCheck(
          false, elapsedMs(started), List.of(), "the /models answer broke off");
    } catch (RefusedAddressException e) {
      return new ConnectionCheck(false, elapsedMs(started), List.of(), e.getMessage());
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      String why =
          status >= 300 && status < 400
              ? "the server answered with a redirect (HTTP " + status + "), which is not followed"
              : status == 401 || status == 403
                  ? "the server refused the API key (HTTP " + status + ")"
                  : "the server answered HTTP " + status;
      return new ConnectionCheck(false, elapsedMs(started), List.of(), why);
    } catch (ProcessingException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return new ConnectionCheck(
          false, elapsedMs(started), List.of(), "cannot connect: " + root.getMessage());
    } catch (RuntimeException e) {
      return new ConnectionCheck(
          false, elapsedMs(started), List.of(), "not an OpenAI-compatible /models answer");
    }
  }

  private static List<String> modelIds(String json) {
    JsonObject models = JsonFactory.parseObject(json);
    return models.getJsonArray("data").stream()
        .map(JsonValue::asJsonObject)
        .map(m -> m.getString("id"))
        .sorted()
        .toList();
  }

  private static long elapsedMs(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private void apply(Provider provider, ProviderSettings settings) {
    try {
      if (settings.connectTimeoutMs() != null || settings.readTimeoutMs() != null) {
        provider.timeouts(
            settings.connectTimeoutMs() == null
                ? provider.connectTimeoutMs()
                : settings.connectTimeoutMs(),
            settings.readTimeoutMs() == null ? provider.readTimeoutMs() : settings.readTimeoutMs());
      }
      if (settings.includeUsage() != null) {
        provider.includeUsage(settings.includeUsage());
      }
      if (settings.allowPrivateNetwork() != null) {
        provider.allowPrivateNetwork(settings.allowPrivateNetwork());
      }
      if (settings.enabled() != null) {
        provider.enable(settings.enabled());
      }
    } catch (IllegalArgumentException e) {
      throw new ProviderException(Reason.INVALID, e.getMessage());
    }
    try {
      addresses.check(provider);
    } catch (RefusedAddressException e) {
      throw new ProviderException(Reason.REFUSED_ADDRESS, e.getMessage());
    }
    if (settings.apiKey() != null) {
      if (settings.apiKey().length() > 1000) {
        throw new ProviderException(Reason.INVALID, "An API key has at most 1000 characters");
      }
      if (Provider.looksLikeKeyHint(settings.apiKey())) {
        // what a view shows of a key, sent back: storing it would replace the real key
        throw new ProviderException(
            Reason.INVALID, "That is the hint of a key, not a key; leave apiKey out to keep it");
      }
      credentials.store(provider, settings.apiKey());
    }
  }

  private static void applyModel(Model model, ModelSettings settings) {
    try {
      model.defaults(
          settings.temperature() == null ? model.temperature() : settings.temperature(),
          settings.maxTokens() == null ? model.maxTokens() : settings.maxTokens(),
          settings.contextLimit() == null ? model.contextLimit() : settings.contextLimit());
      if (settings.kind() != null) {
        model.kind(ModelKind.parse(settings.kind()));
      }
      if (settings.vision() != null) {
        model.seesImages(settings.vision());
      }
    } catch (IllegalArgumentException e) {
      throw new ProviderException(Reason.INVALID, e.getMessage());
    }
    if (settings.priority() != null) {
      model.prioritize(settings.priority());
    }
    if (settings.enabled() != null) {
      model.enable(settings.enabled());
    }
  }

  private void requireUniqueName(Scope scope, Account caller, Provider provider) {
    String name = provider.name().toLowerCase(Locale.ROOT);
    boolean taken =
        list(scope).stream()
            .anyMatch(
                other -> other != provider && other.name().toLowerCase(Locale.ROOT).equals(name));
    if (taken) {
      throw new ProviderException(
          Reason.NAME_TAKEN, "A provider named '" + provider.name() + "' exists already");
    }
  }

  private void requireUniqueAlias(Provider provider, Model model) {
    boolean taken =
        em.createNamedQuery(Model.OF_PROVIDER, Model.class)
            .setParameter("provider", provider)
            .getResultStream()
            .anyMatch(other -> other != model && other.alias().equals(model.alias()));
    if (taken) {
      throw new ProviderException(
          Reason.ALIAS_TAKEN,
          provider.name() + " has a model with the alias '" + model.alias() + "' already");
    }
  }

  /** Adding or changing a model server of one's own takes a group that allows it. */
  private void requireOwnProviderRight(Scope scope, Account caller) {
    if (scope == Scope.OWN && !groupRights.ownProviders(caller.id())) {
      throw new ProviderException(
          Reason.OWN_PROVIDERS_NOT_ALLOWED,
          "None of your groups allows model servers of your own: ask an administrator");
    }
  }

  private Account caller(Scope scope) {
    return scope == Scope.SHARED ? callers.requireAdmin() : callers.current();
  }

  private Provider find(Account caller, Scope scope, long id) {
    Provider provider = em.find(Provider.class, id);
    boolean visible =
        provider != null
            && (scope == Scope.SHARED
                ? provider.isSharedWithEverybody()
                : provider.isOwnedBy(caller.id()));
    if (!visible) {
      throw new ProviderException(Reason.PROVIDER_NOT_FOUND, "No provider " + id);
    }
    return provider;
  }

  private Model findModel(Account caller, Scope scope, long providerId, long modelId) {
    Provider provider = find(caller, scope, providerId);
    Model model = em.find(Model.class, modelId);
    if (model == null || !model.provider().id().equals(provider.id())) {
      throw new ProviderException(Reason.MODEL_NOT_FOUND, "No model " + modelId);
    }
    return model;
  }

  private void audited(Account caller, String action, String target, String detail) {
    audit.record(caller.username(), action, target, Outcome.SUCCESS, null, detail);
  }

  private static String detail(Provider provider) {
    return provider.baseUrl() + (provider.enabled() ? "" : " (disabled)");
  }
}
