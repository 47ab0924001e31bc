package com.llmchat.providers.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.GroupRights;
import com.llmchat.providers.boundary.ProviderException.Reason;
import com.llmchat.providers.control.DefaultModelSetting;
import com.llmchat.providers.control.RouteCache;
import com.llmchat.providers.control.Routes;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.ModelKind;
import com.llmchat.providers.entity.Route;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.settings.entity.Setting;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The models an account may pick, by alias: those of the administrators' providers and of the
 * account's own. An alias served by several providers is one choice backed by all of them, the
 * account's own providers first, then by priority.
 */
@Stateless
public class Models {

  private static final Logger LOG = Logger.getLogger(Models.class.getName());

  /** One model as users pick it: a chat model, or an embedding model for applications. */
  public record Choice(
      String alias,
      String displayName,
      boolean own,
      int providers,
      ModelKind kind,
      boolean vision) {

    public boolean chat() {
      return kind == ModelKind.CHAT;
    }
  }

  /** The setting naming the model new conversations start with (empty: the first one). */
  public static final String DEFAULT_SETTING = DefaultModelSetting.NAME;

  @PersistenceContext EntityManager em;
  @Inject Routes routes;
  @Inject RouteCache cache;
  @Inject Callers callers;
  @Inject GroupRights groupRights;
  @Inject Settings settings;

  /** The alias new conversations start with, if an administrator chose one. */
  public Optional<String> defaultAlias() {
    return settings.find(DEFAULT_SETTING).map(Setting::value).filter(alias -> !alias.isBlank());
  }

  /**
   * An administrator chooses the model new conversations start with: one everybody may pick (an
   * administrators' provider's), or none ({@link DefaultModelSetting} checks it).
   */
  public void chooseDefault(String alias) {
    settings.change(DEFAULT_SETTING, alias);
  }

  /** The caller's choices. */
  public List<Choice> available() {
    return available(callers.current().id());
  }

  private List<Choice> available(long accountId) {
    Map<String, Choice> choices = new LinkedHashMap<>();
    for (Model model : usable(accountId)) {
      boolean own = !model.provider().isSharedWithEverybody();
      choices.merge(
          model.alias(),
          new Choice(model.alias(), model.displayName(), own, 1, model.kind(), model.vision()),
          (first, next) ->
              new Choice(
                  first.alias(),
                  first.displayName(),
                  first.own() || next.own(),
                  first.providers() + 1,
                  first.kind(),
                  // images go to the providers that take them: one is enough
                  first.vision() || next.vision()));
    }
    return List.copyOf(choices.values());
  }

  public boolean exists(long accountId, String alias) {
    return table(accountId).containsKey(alias);
  }

  /** Whether the account may chat with the alias: it exists and is a chat model. */
  public boolean chats(long accountId, String alias) {
    RouteCache.Routing routing = table(accountId).get(alias);
    return routing != null && routing.kind() == ModelKind.CHAT;
  }

  /** What the alias does; {@link Reason#UNKNOWN_MODEL} when the account has no such model. */
  public ModelKind kind(long accountId, String alias) {
    RouteCache.Routing routing = table(accountId).get(alias);
    if (routing == null) {
      throw new ProviderException(Reason.UNKNOWN_MODEL, "Unknown model: " + alias);
    }
    return routing.kind();
  }

  /**
   * The routes to try for an alias, in order. A provider whose stored key cannot be opened is left
   * out (and logged); if that leaves none, the caller learns why.
   */
  public List<Route> routes(long accountId, String alias) {
    RouteCache.Routing routing = table(accountId).get(alias);
    if (routing == null) {
      throw new ProviderException(Reason.UNKNOWN_MODEL, "Unknown model: " + alias);
    }
    if (routing.routes().isEmpty()) {
      throw new ProviderException(Reason.KEY_UNREADABLE, routing.unreadable());
    }
    return routing.routes();
  }

  private Map<String, RouteCache.Routing> table(long accountId) {
    return cache.table(accountId, () -> load(accountId));
  }

  /** Every alias the account may pick with its routes in order, keys opened. */
  private Map<String, RouteCache.Routing> load(long accountId) {
    Map<String, List<Route>> found = new LinkedHashMap<>();
    Map<String, String> unreadable = new LinkedHashMap<>();
    // an alias does what its first model does (the account's own, else by priority)
    Map<String, ModelKind> kinds = new LinkedHashMap<>();
    for (Model model : usable(accountId)) {
      kinds.putIfAbsent(model.alias(), model.kind());
      List<Route> routes = found.computeIfAbsent(model.alias(), alias -> new ArrayList<>());
      try {
        routes.add(this.routes.of(model));
      } catch (ProviderException e) {
        LOG.warning(e.getMessage());
        unreadable.put(model.alias(), e.getMessage());
      }
    }
    Map<String, RouteCache.Routing> table = new LinkedHashMap<>();
    found.forEach(
        (alias, routes) ->
            table.put(
                alias,
                new RouteCache.Routing(
                    List.copyOf(routes), unreadable.get(alias), kinds.get(alias))));
    return table;
  }

  private List<Model> usable(long accountId) {
    List<Model> models =
        new ArrayList<>(
            em.createNamedQuery(Model.USABLE_BY, Model.class)
                .setParameter("owner", accountId)
                .setParameter("ownOwner", groupRights.ownProviders(accountId) ? accountId : -1L)
                .getResultList());
    // the account's own providers first, then the shared ones, each by priority
    models.sort(
        Comparator.comparing((Model m) -> m.provider().isSharedWithEverybody())
            .thenComparing(Model::alias)
            .thenComparingInt(Model::priority)
            .thenComparing(Model::id));
    return models;
  }
}
