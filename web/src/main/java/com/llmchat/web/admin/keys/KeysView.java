package com.llmchat.web.admin.keys;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.ApiKeys;
import com.llmchat.accounts.entity.ApiKey;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.usage.boundary.Usage;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** admin/keys.xhtml: every user's API keys, searched by owner or name, and revoked. */
@Named("adminKeysView")
@ViewScoped
public class KeysView implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 200;

  @Inject ApiKeys keys;
  @Inject Usage usage;
  @Inject Messages messages;

  private String search;
  private transient List<ApiKey> shown;
  private transient FacesContext shownIn;
  private transient Map<Long, Usage.KeyUsage> used;

  public List<ApiKey> getKeys() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = keys.all(search, SHOWN);
      shownIn = request;
      used = usage.ofAllKeys();
    }
    return shown;
  }

  /** What the key's calls used over the last 30 days. */
  public Usage.KeyUsage usageOf(ApiKey key) {
    getKeys();
    return used.getOrDefault(key.id(), new Usage.KeyUsage(0, 0, 0));
  }

  public void revoke(ApiKey key) {
    try {
      keys.revokeAny(
          key.id(),
          ClientAddresses.of(
              (HttpServletRequest)
                  FacesContext.getCurrentInstance().getExternalContext().getRequest()));
      shown = null;
    } catch (AccountException e) {
      messages.refused("keys", e.reason(), e.getMessage());
    }
  }

  public String getSearch() {
    return search;
  }

  public void setSearch(String search) {
    this.search = search;
    shown = null;
  }
}
