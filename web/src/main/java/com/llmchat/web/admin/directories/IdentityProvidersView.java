package com.llmchat.web.admin.directories;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.identity.boundary.IdentityProviders;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.identity.entity.IdentityProvider;
import com.llmchat.identity.entity.ProviderSettings;
import com.llmchat.web.Messages;
import com.llmchat.web.PublicAddress;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;

/**
 * admin/sso.xhtml: OpenID Connect identity providers added, changed, tested (discovery and signing
 * keys) and removed, and the values of their groups claim mapped to our groups and to the
 * administrator role.
 */
@Named("adminIdentityProvidersView")
@ViewScoped
public class IdentityProvidersView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject IdentityProviders providers;
  @Inject Groups groups;
  @Inject Messages messages;
  @Inject PublicAddress address;

  private Long editedId;
  private Long chosenId;
  private String name;
  private String issuer;
  private String clientId;
  private String clientSecret;
  private String scopes = "openid profile email";
  private String usernameClaim = "preferred_username";
  private String displayNameClaim = "name";
  private String emailClaim = "email";
  private String groupsClaim = "groups";
  private String caCertificates;
  private boolean enabled = true;
  private IdentityProviders.Probe probe;
  private String probedName;
  private String newProviderGroup;
  private Long newGroupId;
  private boolean newAdministrator;

  private transient List<IdentityProvider> shown;
  private transient FacesContext shownIn;
  private transient List<Groups.Summary> groupsShown;
  private transient FacesContext groupsShownIn;

  public List<IdentityProvider> getProviders() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = providers.list();
      shownIn = request;
    }
    return shown;
  }

  public IdentityProvider getChosen() {
    return chosenId == null
        ? null
        : getProviders().stream().filter(p -> p.id().equals(chosenId)).findFirst().orElse(null);
  }

  public List<GroupMapping> getMappings() {
    return chosenId == null ? List.of() : providers.mappings(chosenId);
  }

  /** Our groups, read once per request (the menu and every mapping row ask). */
  public List<Groups.Summary> getGroups() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (groupsShown == null || groupsShownIn != request) {
      groupsShown = groups.list();
      groupsShownIn = request;
    }
    return groupsShown;
  }

  /** Our group's name for a mapping (empty when it gives the administrator role only). */
  public String groupName(Long groupId) {
    return groupId == null
        ? ""
        : getGroups().stream()
            .filter(s -> s.group().id().equals(groupId))
            .map(s -> s.group().name())
            .findFirst()
            .orElse("#" + groupId);
  }

  /** The address to register at the provider as the client's redirect URI. */
  public String getRedirectUri() {
    HttpServletRequest request =
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
    return address.of(request) + request.getContextPath() + "/login/oidc/callback";
  }

  public void edit(IdentityProvider provider) {
    ProviderSettings s = provider.settings();
    editedId = provider.id();
    chosenId = provider.id();
    name = s.name();
    issuer = s.issuer();
    clientId = s.clientId();
    clientSecret = null;
    scopes = s.scopes();
    usernameClaim = s.usernameClaim();
    displayNameClaim = s.displayNameClaim();
    emailClaim = s.emailClaim();
    groupsClaim = s.groupsClaim();
    caCertificates = s.caCertificates();
    enabled = s.enabled();
  }

  public void startNew() {
    editedId = null;
    name = null;
    issuer = null;
    clientId = null;
    clientSecret = null;
    caCertificates = null;
    enabled = true;
  }

  public void save() {
    act(
        () -> {
          ProviderSettings settings =
              new ProviderSettings(
                  name,
                  enabled,
                  0,
                  issuer,
                  clientId,
                  scopes,
                  usernameClaim,
                  displayNameClaim,
                  emailClaim,
                  groupsClaim,
                  caCertificates);
          String secret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
          IdentityProvider saved =
              editedId == null
                  ? providers.create(settings, secret, clientIp())
                  : providers.update(editedId, settings, secret, clientIp());
          editedId = saved.id();
          chosenId = saved.id();
          clientSecret = null;
          messages.info("admin.sso.saved", saved.name());
        });
  }

  public void delete(IdentityProvider provider) {
    act(
        () -> {
          providers.delete(provider.id(), clientIp());
          if (provider.id().equals(chosenId)) {
            chosenId = null;
          }
          if (provider.id().equals(editedId)) {
            startNew();
          }
        });
  }

  public void test(IdentityProvider provider) {
    act(
        () -> {
          probe = providers.probe(provider.id(), clientIp());
          probedName = provider.name();
          chosenId = provider.id();
        });
  }

  public void choose(IdentityProvider provider) {
    chosenId = provider.id();
  }

  public void addMapping() {
    act(
        () -> {
          providers.map(chosenId, newProviderGroup, newGroupId, newAdministrator, clientIp());
          newProviderGroup = null;
          newGroupId = null;
          newAdministrator = false;
        });
  }

  public void removeMapping(GroupMapping mapping) {
    act(() -> providers.unmap(chosenId, mapping.id(), clientIp()));
  }

  private void act(Runnable action) {
    try {
      action.run();
      shown = null;
    } catch (AccountException e) {
      messages.refused("admin.directories", e.reason(), e.getMessage());
    }
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  public Long getEditedId() {
    return editedId;
  }

  public IdentityProviders.Probe getProbe() {
    return probe;
  }

  public String getProbedName() {
    return probedName;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  public String getClientSecret() {
    return clientSecret;
  }

  public void setClientSecret(String clientSecret) {
    this.clientSecret = clientSecret;
  }

  public String getScopes() {
    return scopes;
  }

  public void setScopes(String scopes) {
    this.scopes = scopes;
  }

  public String getUsernameClaim() {
    return usernameClaim;
  }

  public void setUsernameClaim(String usernameClaim) {
    this.usernameClaim = usernameClaim;
  }

  public String getDisplayNameClaim() {
    return displayNameClaim;
  }

  public void setDisplayNameClaim(String displayNameClaim) {
    this.displayNameClaim = displayNameClaim;
  }

  public String getEmailClaim() {
    return emailClaim;
  }

  public void setEmailClaim(String emailClaim) {
    this.emailClaim = emailClaim;
  }

  public String getGroupsClaim() {
    return groupsClaim;
  }

  public void setGroupsClaim(String groupsClaim) {
    this.groupsClaim = groupsClaim;
  }

  public String getCaCertificates() {
    return caCertificates;
  }

  public void setCaCertificates(String caCertificates) {
    this.caCertificates = caCertificates;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getNewProviderGroup() {
    return newProviderGroup;
  }

  public void setNewProviderGroup(String newProviderGroup) {
    this.newProviderGroup = newProviderGroup;
  }

  public Long getNewGroupId() {
    return newGroupId;
  }

  public void setNewGroupId(Long newGroupId) {
    this.newGroupId = newGroupId;
  }

  public boolean isNewAdministrator() {
    return newAdministrator;
  }

  public void setNewAdministrator(boolean newAdministrator) {
    this.newAdministrator = newAdministrator;
  }
}
