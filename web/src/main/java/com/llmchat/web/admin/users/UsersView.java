package com.llmchat.web.admin.users;

import com.llmchat.accounts.boundary.AccountAdministration;
import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Role;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/** admin/users.xhtml: find, create, enable or disable accounts, reset passwords, change roles. */
@Named
@ViewScoped
public class UsersView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject AccountAdministration administration;
  @Inject Messages messages;

  private String search;
  private String newUsername;
  private String newDisplayName;
  private String newRole = Role.USER.name();
  private String oneTimePassword;
  private String oneTimePasswordFor;

  private final LazyDataModel<Account> accounts =
      new LazyDataModel<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
          return (int) administration.search(search, 0, 1).total();
        }

        @Override
        public List<Account> load(
            int first,
            int pageSize,
            Map<String, SortMeta> sortBy,
            Map<String, FilterMeta> filterBy) {
          var page = administration.search(search, first / pageSize, pageSize);
          setRowCount((int) page.total());
          return page.items();
        }

        @Override
        public String getRowKey(Account account) {
          return String.valueOf(account.id());
        }
      };

  public void create() {
    act(
        () -> {
          var created =
              administration.create(
                  newUsername, newDisplayName, null, Role.valueOf(newRole), null, clientIp());
          showPassword(created.account(), created.oneTimePassword());
          newUsername = null;
          newDisplayName = null;
        });
  }

  public void toggleEnabled(Account account) {
    act(
        () -> {
          if (account.enabled()) {
            administration.disable(account.id(), clientIp());
          } else {
            administration.enable(account.id(), clientIp());
          }
        });
  }

  public void toggleRole(Account account) {
    act(
        () ->
            administration.changeRole(
                account.id(), account.isAdmin() ? Role.USER : Role.ADMIN, clientIp()));
  }

  public void resetPassword(Account account) {
    act(
        () -> {
          var reset = administration.resetPassword(account.id(), clientIp());
          showPassword(reset.account(), reset.oneTimePassword());
        });
  }

  private void showPassword(Account account, String password) {
    oneTimePasswordFor = account.username();
    oneTimePassword = password;
  }

  private void act(Runnable action) {
    oneTimePassword = null;
    try {
      action.run();
    } catch (AccountException e) {
      messages.refused("admin.users", e.reason(), e.getMessage());
    }
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  public LazyDataModel<Account> getAccounts() {
    return accounts;
  }

  public String getSearch() {
    return search;
  }

  public void setSearch(String search) {
    this.search = search;
  }

  public String getNewUsername() {
    return newUsername;
  }

  public void setNewUsername(String newUsername) {
    this.newUsername = newUsername;
  }

  public String getNewDisplayName() {
    return newDisplayName;
  }

  public void setNewDisplayName(String newDisplayName) {
    this.newDisplayName = newDisplayName;
  }

  public String getNewRole() {
    return newRole;
  }

  public void setNewRole(String newRole) {
    this.newRole = newRole;
  }

  public String getOneTimePassword() {
    return oneTimePassword;
  }

  public String getOneTimePasswordFor() {
    return oneTimePasswordFor;
  }
}
