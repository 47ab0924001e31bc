package com.llmchat.web.account;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.ApiKeys;
import com.llmchat.accounts.entity.ApiKey;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.usage.boundary.Usage;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * account/keys.xhtml: the caller's API keys for applications — made (the secret shown this once),
 * listed by prefix, revoked.
 */
@Named
@ViewScoped
public class KeysView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject ApiKeys keys;
  @Inject Usage usage;
  @Inject Models models;
  @Inject Messages messages;

  private String name;
  private List<String> limitedTo = new ArrayList<>();
  private Integer days;
  private String secret;
  private String secretName;

  private transient List<ApiKey> shown;
  private transient FacesContext shownIn;
  private transient Map<Long, Usage.KeyUsage> used;

  /** The table's rows, read once per request. */
  public List<ApiKey> getKeys() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = keys.own();
      shownIn = request;
      used = usage.ofMyKeys();
    }
    return shown;
  }

  /** What the key's calls used over the last 30 days. */
  public Usage.KeyUsage usageOf(ApiKey key) {
    getKeys();
    return used.getOrDefault(key.id(), new Usage.KeyUsage(0, 0, 0));
  }

  public List<Models.Choice> getModels() {
    return models.available();
  }

  public void create() {
    secret = null;
    try {
      var created =
          keys.create(
              name,
              limitedTo,
              days == null ? null : OffsetDateTime.now(ZoneOffset.UTC).plusDays(days),
              clientIp());
      secret = created.secret();
      secretName = created.key().name();
      name = null;
      limitedTo = new ArrayList<>();
      days = null;
      shown = null;
    } catch (AccountException e) {
      messages.refused("keys", e.reason(), e.getMessage());
    } catch (ProviderException e) {
      messages.refused("keys", e.reason(), e.getMessage());
    }
  }

  public void revoke(ApiKey key) {
    secret = null;
    try {
      keys.revokeOwn(key.id(), clientIp());
      shown = null;
    } catch (AccountException e) {
      messages.refused("keys", e.reason(), e.getMessage());
    }
  }

  static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getLimitedTo() {
    return limitedTo;
  }

  public void setLimitedTo(List<String> limitedTo) {
    this.limitedTo = limitedTo == null ? new ArrayList<>() : new ArrayList<>(limitedTo);
  }

  public Integer getDays() {
    return days;
  }

  public void setDays(Integer days) {
    this.days = days;
  }

  public String getSecret() {
    return secret;
  }

  public String getSecretName() {
    return secretName;
  }
}
