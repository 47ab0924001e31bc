package com.llmchat.web.admin.groups;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.Account;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;

/**
 * admin/groups.xhtml: groups created, renamed and deleted, whether members may add model servers of
 * their own, and who is in the chosen group.
 */
@Named("adminGroupsView")
@ViewScoped
public class GroupsView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject Groups groups;
  @Inject Messages messages;

  private String newName;
  private String newDescription;
  private boolean newOwnProviders;
  private Long chosenId;
  private String newMember;

  private transient List<Groups.Summary> shown;
  private transient FacesContext shownIn;

  /** Read once per request (the table asks often). */
  public List<Groups.Summary> getGroups() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = groups.list();
      shownIn = request;
    }
    return shown;
  }

  /** The group whose members are shown, if it still exists. */
  public Groups.Summary getChosen() {
    return chosenId == null
        ? null
        : getGroups().stream()
            .filter(s -> s.group().id().equals(chosenId))
            .findFirst()
            .orElse(null);
  }

  public List<Account> getMembers() {
    return chosenId == null ? List.of() : groups.members(chosenId);
  }

  public void create() {
    act(
        () -> {
          chosenId =
              groups.create(newName, newDescription, newOwnProviders, clientIp()).group().id();
          newName = null;
          newDescription = null;
          newOwnProviders = false;
        });
  }

  public void choose(Groups.Summary summary) {
    chosenId = summary.group().id();
  }

  public void toggleOwnProviders(Groups.Summary summary) {
    act(
        () ->
            groups.change(
                summary.group().id(), null, null, !summary.group().ownProviders(), clientIp()));
  }

  public void delete(Groups.Summary summary) {
    act(
        () -> {
          groups.delete(summary.group().id(), clientIp());
          if (summary.group().id().equals(chosenId)) {
            chosenId = null;
          }
        });
  }

  public void addMember() {
    act(
        () -> {
          groups.addMember(chosenId, newMember, clientIp());
          newMember = null;
        });
  }

  public void removeMember(Account account) {
    act(() -> groups.removeMember(chosenId, account.id(), clientIp()));
  }

  private void act(Runnable action) {
    try {
      action.run();
      shown = null;
    } catch (AccountException e) {
      messages.refused("admin.groups", e.reason(), e.getMessage());
    }
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  public String getNewName() {
    return newName;
  }

  public void setNewName(String newName) {
    this.newName = newName;
  }

  public String getNewDescription() {
    return newDescription;
  }

  public void setNewDescription(String newDescription) {
    this.newDescription = newDescription;
  }

  public boolean isNewOwnProviders() {
    return newOwnProviders;
  }

  public void setNewOwnProviders(boolean newOwnProviders) {
    this.newOwnProviders = newOwnProviders;
  }

  public String getNewMember() {
    return newMember;
  }

  public void setNewMember(String newMember) {
    this.newMember = newMember;
  }
}
