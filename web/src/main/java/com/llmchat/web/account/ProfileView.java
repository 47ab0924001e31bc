package com.llmchat.web.account;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Group;
import com.llmchat.usage.boundary.Budgets;
import com.llmchat.web.LanguageView;
import com.llmchat.web.Messages;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.List;

/** account/profile.xhtml: display name, email and language of the caller's account. */
@Named
@RequestScoped
public class ProfileView {

  @Inject Accounts accounts;
  @Inject Groups groups;
  @Inject Budgets budgets;
  @Inject FacesContext faces;
  @Inject Messages messages;
  @Inject LanguageView language;

  private String username;
  private String displayName;
  private String email;
  private String locale;

  @PostConstruct
  void load() {
    Account account = accounts.me();
    username = account.username();
    displayName = account.displayName();
    email = account.email();
    locale = account.locale() == null ? "" : account.locale();
  }

  public void save() throws IOException {
    try {
      accounts.updateProfile(displayName, email == null ? "" : email, locale);
    } catch (AccountException e) {
      messages.error("profile.invalid", e.getMessage());
      return;
    }
    language.follow(locale);
    ExternalContext external = faces.getExternalContext();
    external.getFlash().put("notice", messages.text("profile.saved"));
    external.redirect(external.getRequestContextPath() + "/account/profile.xhtml");
  }

  /** The names of the caller's groups, joined; empty when in none. */
  public String getGroups() {
    return String.join(", ", groups.mine().stream().map(Group::name).toList());
  }

  /** The budgets and rate limits that apply to the caller. */
  public List<Budgets.State> getBudgets() {
    return budgets.mine();
  }

  /** When a budget resets, in the budgets' time zone. */
  public String resetsAt(Budgets.State state) {
    String zone = budgets.zone();
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .format(state.resetsAt().atZone(java.time.ZoneId.of(zone)))
        + " ("
        + zone
        + ")";
  }

  public String getUsername() {
    return username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getLocale() {
    return locale;
  }

  public void setLocale(String locale) {
    this.locale = locale;
  }
}
