package com.llmchat.web.admin.access;

import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.Group;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.providers.boundary.ModelAccess;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** admin/access.xhtml: each shared model open to everybody or to chosen groups. */
@Named("adminAccessView")
@ViewScoped
public class ModelAccessView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject ModelAccess access;
  @Inject Groups groups;
  @Inject Messages messages;

  /** The groups ticked for each alias (group ids as the page sends them). */
  private final Map<String, String[]> chosen = new HashMap<>();

  private transient List<ModelAccess.Access> shown;
  private transient FacesContext shownIn;

  /** Read once per request; a model not seen before starts with its stored groups ticked. */
  public List<ModelAccess.Access> getModels() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = access.list();
      shownIn = request;
      for (ModelAccess.Access model : shown) {
        chosen.computeIfAbsent(
            model.alias(),
            alias ->
                model.groups().stream().map(g -> String.valueOf(g.id())).toArray(String[]::new));
      }
    }
    return shown;
  }

  public List<Group> getGroups() {
    return groups.list().stream().map(Groups.Summary::group).toList();
  }

  public void save(ModelAccess.Access model) {
    Set<Long> ids = new LinkedHashSet<>();
    for (String id : chosen.getOrDefault(model.alias(), new String[0])) {
      ids.add(Long.valueOf(id));
    }
    try {
      var saved = access.grant(model.alias(), ids, clientIp());
      messages.info(
          saved.everybody() ? "admin.access.savedEverybody" : "admin.access.saved", model.alias());
    } catch (ProviderException e) {
      messages.refused("admin.access", e.reason(), e.getMessage());
    }
    shown = null;
    chosen.remove(model.alias());
  }

  public Map<String, String[]> getChosen() {
    return chosen;
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }
}
