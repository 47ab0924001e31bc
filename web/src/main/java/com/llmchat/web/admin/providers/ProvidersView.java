package com.llmchat.web.admin.providers;

import com.llmchat.providers.boundary.ConnectionCheck;
import com.llmchat.providers.boundary.ModelSettings;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.boundary.ProviderSettings;
import com.llmchat.providers.boundary.Providers;
import com.llmchat.providers.boundary.Providers.Scope;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.Provider;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/**
 * admin/providers.xhtml: the model servers everybody may use and their models; test a connection.
 * The API key is write-only here: the form never shows it again, the table only its last four
 * characters.
 */
@Named
@ViewScoped
public class ProvidersView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject Providers providers;
  @Inject Messages messages;

  private Long editing;
  private String name;
  private String baseUrl;
  private String apiKey;
  private Integer readTimeoutMs;
  private boolean privateNetwork;
  private boolean enabled = true;

  private Long selected;
  private String upstreamId;
  private String alias;
  private String displayName;
  private String kind = "chat";
  private boolean vision;

  private transient List<Provider> shown;
  private transient FacesContext shownIn;

  private ConnectionCheck check;
  private String checked;

  /** The table's rows, read once per request (the page asks several times while rendering). */
  public List<Provider> getProviders() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = providers.list(Scope.SHARED);
      shownIn = request;
    }
    return shown;
  }

  public List<Model> getModels() {
    return selected == null ? List.of() : providers.models(Scope.SHARED, selected);
  }

  public void save() {
    String key = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    // the typed key goes to the boundary once and never stays in the view (it lives in the session)
    apiKey = null;
    act(
        () -> {
          var settings =
              new ProviderSettings(
                  name, baseUrl, key, null, readTimeoutMs, null, privateNetwork, enabled);
          Provider saved =
              editing == null
                  ? providers.create(Scope.SHARED, settings)
                  : providers.update(Scope.SHARED, editing, settings);
          selected = saved.id();
          clearProvider();
        });
  }

  public void edit(Provider provider) {
    editing = provider.id();
    name = provider.name();
    baseUrl = provider.baseUrl();
    apiKey = null;
    readTimeoutMs = provider.readTimeoutMs();
    privateNetwork = provider.allowPrivateNetwork();
    enabled = provider.enabled();
    selected = provider.id();
  }

  public void clearProvider() {
    editing = null;
    name = null;
    baseUrl = null;
    apiKey = null;
    readTimeoutMs = null;
    privateNetwork = false;
    enabled = true;
  }

  public void delete(Provider provider) {
    act(
        () -> {
          providers.delete(Scope.SHARED, provider.id());
          if (provider.id().equals(selected)) {
            selected = null;
          }
        });
  }

  public void test(Provider provider) {
    act(
        () -> {
          selected = provider.id();
          checked = provider.name();
          check = providers.test(Scope.SHARED, provider.id());
        });
  }

  public void select(Provider provider) {
    selected = provider.id();
  }

  public void addModel() {
    act(
        () -> {
          providers.addModel(
              Scope.SHARED,
              selected,
              new ModelSettings(
                  upstreamId, alias, displayName, null, null, null, null, true, kind, vision));
          upstreamId = null;
          kind = "chat";
          vision = false;
          alias = null;
          displayName = null;
        });
  }

  /** Marks whether the model takes images (sent as image parts), or no longer. */
  public void toggleVision(Model model) {
    act(
        () ->
            providers.updateModel(
                Scope.SHARED,
                selected,
                model.id(),
                new ModelSettings(
                    null, null, null, null, null, null, null, null, null, !model.vision())));
  }

  public void deleteModel(Model model) {
    act(() -> providers.deleteModel(Scope.SHARED, selected, model.id()));
  }

  private void act(Runnable action) {
    check = null;
    shown = null;
    try {
      action.run();
    } catch (ProviderException e) {
      messages.refused("admin.providers", e.reason(), e.getMessage());
    }
  }

  /** What the provider said when it last failed (credentials redacted), or empty. */
  public String lastFailure(Provider provider) {
    return providers
        .lastFailure(provider)
        .map(f -> f.at().toLocalTime().withNano(0) + " " + f.code() + ": " + f.detail())
        .orElse("");
  }

  public Provider getSelectedProvider() {
    return selected == null
        ? null
        : getProviders().stream().filter(p -> p.id().equals(selected)).findFirst().orElse(null);
  }

  public ConnectionCheck getCheck() {
    return check;
  }

  public String getChecked() {
    return checked;
  }

  public boolean isEditing() {
    return editing != null;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String getApiKey() {
    return null;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public Integer getReadTimeoutMs() {
    return readTimeoutMs;
  }

  public void setReadTimeoutMs(Integer readTimeoutMs) {
    this.readTimeoutMs = readTimeoutMs;
  }

  public boolean isPrivateNetwork() {
    return privateNetwork;
  }

  public void setPrivateNetwork(boolean privateNetwork) {
    this.privateNetwork = privateNetwork;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getUpstreamId() {
    return upstreamId;
  }

  public void setUpstreamId(String upstreamId) {
    this.upstreamId = upstreamId;
  }

  public String getAlias() {
    return alias;
  }

  public void setAlias(String alias) {
    this.alias = alias;
  }

  public String getDisplayName() {
    return displayName;
  }

  public boolean isVision() {
    return vision;
  }

  public void setVision(boolean vision) {
    this.vision = vision;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }
}
